export { loadAugursInBrowser } from './augurs-loader.js';
