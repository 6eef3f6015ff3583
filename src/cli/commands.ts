import { checkCommand } from './check.ts';
import type { Command } from './command.ts';
import { listCommand } from './list.ts';
import { mergeCommand } from './merge.ts';
import { replayCommand } from './replay.ts';
import { verifyCommand } from './verify.ts';

/** Every CLI command; add a command by adding it here (one line). */
export const COMMANDS: readonly Command[] = [
  checkCommand,
  listCommand,
  verifyCommand,
  replayCommand,
  mergeCommand,
];
