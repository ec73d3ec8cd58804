/** Prepends a line to a log list, keeping the newest `limit` lines; `alert` lines are highlighted. */
export function logLine(list: HTMLElement, text: string, alert = false, limit = 40): void {
  const item = document.createElement('li');
  item.textContent = text;
  if (alert) item.className = 'alert';
  list.prepend(item);
  while (list.children.length > limit) list.lastElementChild!.remove();
}

/** Draws scores in [0, 1] as a line, newest on the right, with the threshold dashed. */
export function drawScores(canvas: HTMLCanvasElement, scores: readonly number[], threshold: number): void {
  const context = canvas.getContext('2d');
  if (!context) return;
  const { width, height } = canvas;
  context.clearRect(0, 0, width, height);
  context.setLineDash([4, 4]);
  context.strokeStyle = '#b00020';
  context.beginPath();
  context.moveTo(0, height * (1 - threshold));
  context.lineTo(width, height * (1 - threshold));
  context.stroke();
  context.setLineDash([]);
  context.strokeStyle = '#2458d6';
  context.beginPath();
  scores.forEach((score, index) => {
    const x = (index / Math.max(1, scores.length - 1)) * width;
    const y = height * (1 - score);
    if (index === 0) context.moveTo(x, y);
    else context.lineTo(x, y);
  });
  context.stroke();
}
