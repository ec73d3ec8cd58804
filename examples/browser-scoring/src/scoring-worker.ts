// The worker entry: every ONNX session of the page lives here, off the main thread.
import { serveScoringWorker } from '@iac-dharma/models/worker';

serveScoringWorker();
