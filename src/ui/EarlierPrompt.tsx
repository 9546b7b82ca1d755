/**
 * Before a lesson starts: processes an earlier kubetutor run left running
 * (it was killed before it could stop them), with y to stop them. It only
 * draws what it is given and calls `stop`; finding and stopping them is the
 * start command's (process-records.ts).
 */
import React, { useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { displayText } from '../text/display-text.js';
import { t } from '../i18n/index.js';

export interface EarlierProcesses {
  /** "2 processes from an earlier kubetutor run are still running". */
  headline: string;
  /** One per process: `pid 1234 kubectl port-forward …`. */
  lines: string[];
  /** Stops them; resolves with one line saying what happened. */
  stop: () => Promise<string>;
}

export function EarlierPrompt({ earlier, onDone, onQuit }: { earlier: EarlierProcesses; onDone: (notice: string) => void; onQuit: () => void }) {
  const [stopping, setStopping] = useState(false);
  useInput(
    (input, key) => {
      if (input === 'y' || input === 'Y') {
        setStopping(true);
        earlier.stop().then(onDone, (e: Error) => onDone(t('screen.earlier.stopFailed', { message: e.message })));
      } else if (input === 'n' || input === 'N' || key.escape) {
        onDone(t('screen.earlier.left', { count: earlier.lines.length }));
      } else if (input === 'q' || (key.ctrl && input === 'c')) onQuit();
    },
    { isActive: !stopping },
  );
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text bold color="yellow">
        {earlier.headline}:
      </Text>
      {earlier.lines.map((l, i) => (
        <Text key={i}>{`  ${displayText(l)}`}</Text>
      ))}
      <Text> </Text>
      <Text>{stopping ? t('screen.earlier.stopping') : t('screen.earlier.ask', { count: earlier.lines.length })}</Text>
    </Box>
  );
}
