import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ModelIntegrityError } from '@iac-dharma/core';
import { sha256Hex, signModelCard } from '@iac-dharma/models';
import type { Command } from './command.js';
import { AtomicFile } from '../io/atomic-output.js';
import { guardCommand } from '../io/guard-command.js';
import { readKeyOption, requireOption, UsageError } from '../io/model-options.js';

const USAGE = `dharma sign-model — sign a model card with an Ed25519 private key

Usage: dharma sign-model --key <private.pem> --model-dir <dir> --model <id>

Signs <dir>/<id>/model-card.json (or encoder-card.json) in place: adds a "signature" member, Ed25519 over
the card's canonical JSON (which includes the sha256 of the model bytes). Users who pin the matching public
key (--model-key, or publicKey in code) then load only models whose card you signed. The card must describe
the bytes next to it: the model file's sha256 and size are checked before signing.

Create a key pair with OpenSSL:
  openssl genpkey -algorithm ed25519 -out model-signing.pem
  openssl pkey -in model-signing.pem -pubout -out model-signing.pub.pem

Options:
  --key <file>        Ed25519 private key, PEM (PKCS #8 "PRIVATE KEY")
  --model-dir <dir>   folder with <id>/model-card.json + the model file
  --model <id>        model id (folder name)`;

interface CardFiles {
  sha256: unknown;
  bytes?: unknown;
  file?: unknown;
}

/** The files a card vouches for, with their expected sha256 (model cards: `file`; encoder cards: a map). */
function vouchedFiles(card: CardFiles): Array<{ file: string; sha256: string; bytes?: number }> {
  if (typeof card.sha256 === 'string' && typeof card.file === 'string') {
    return [{ file: card.file, sha256: card.sha256, ...(typeof card.bytes === 'number' ? { bytes: card.bytes } : {}) }];
  }
  if (typeof card.sha256 === 'object' && card.sha256 !== null) {
    return Object.entries(card.sha256 as Record<string, unknown>)
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
      .map(([file, sha256]) => ({ file, sha256 }));
  }
  return [];
}

/** `dharma sign-model`: adds an Ed25519 signature to a model card. */
export const signModelCommand: Command = {
  summary: 'sign a model card (Ed25519) for users who pin your public key',
  usage: USAGE,
  options: { key: { type: 'string' }, 'model-dir': { type: 'string' }, model: { type: 'string' } },
  run: (values) =>
    guardCommand('sign-model', async () => {
      requireOption(values, 'key', USAGE);
      const directory = requireOption(values, 'model-dir', USAGE);
      const id = requireOption(values, 'model', USAGE);
      if (!/^[a-z0-9][a-z0-9._-]*$/.test(id))
        throw new UsageError(`--model "${id}" is not a model id (lower-case letters, digits, ".", "_" or "-").`);
      const privateKey = readKeyOption(values, 'key')!;
      const folder = join(directory, id);
      const cardPath = ['model-card.json', 'encoder-card.json']
        .map((name) => join(folder, name))
        .find((path) => existsSync(path));
      if (!cardPath) throw new UsageError(`${folder} holds no model-card.json or encoder-card.json.`);
      const card = JSON.parse(readFileSync(cardPath, 'utf8')) as Record<string, unknown>;
      const files = vouchedFiles(card as unknown as CardFiles);
      if (files.length === 0)
        throw new ModelIntegrityError(
          `${cardPath} names no model file with its sha256: refusing to sign a card that pins no bytes.`,
        );
      for (const entry of files) {
        const path = join(folder, entry.file);
        if (entry.file.includes('..') || !existsSync(path))
          throw new ModelIntegrityError(`${cardPath} names ${entry.file}, which is not in ${folder}.`);
        const bytes = new Uint8Array(readFileSync(path));
        const actual = await sha256Hex(bytes);
        if (actual !== entry.sha256 || (entry.bytes !== undefined && entry.bytes !== bytes.byteLength)) {
          throw new ModelIntegrityError(
            `${entry.file} has sha256 ${actual} (${bytes.byteLength} bytes) but the card says ${entry.sha256}${entry.bytes !== undefined ? ` (${entry.bytes} bytes)` : ''}: fix the card before signing it.`,
          );
        }
      }
      const signed = await signModelCard(card, privateKey);
      const output = new AtomicFile(cardPath, '--model-dir');
      output.write(`${JSON.stringify(signed, null, 1)}\n`);
      output.commit();
      process.stderr.write(
        `dharma sign-model: signed ${cardPath} (${files.map((entry) => `${entry.file} sha256 ${entry.sha256}`).join(', ')})\n`,
      );
      return 0;
    }),
};
