export function renderHtmlReport(_r: unknown): string { return "<html></html>"; }
