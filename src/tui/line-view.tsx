// @jsxRuntime automatic
import { Text } from 'ink';
import type { Line } from './result-table.ts';

/** A line of text in its tone's colour. */
export function LineView({ line }: { readonly line: Line }) {
  switch (line.tone) {
    case 'ok':
      return <Text color="green">{line.text}</Text>;
    case 'bad':
      return <Text color="red">{line.text}</Text>;
    case 'dim':
      return <Text dimColor>{line.text}</Text>;
    case 'plain':
      return <Text>{line.text}</Text>;
  }
}
