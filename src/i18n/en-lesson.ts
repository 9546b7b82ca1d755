/** English: what the lesson layer says (src/lesson/): moved ports, the --port flag. */
export const enLesson = {
  'lesson.portsMoved': 'ports moved (--port): {moves}',
  'lesson.portMoved': 'the lesson\'s {from} is localhost:{to}',
  'lesson.portFlagBad': '--port wants LESSON_PORT=LOCAL_PORT (e.g. --port 15032=15099, or 15032=auto for any free port), not "{value}"',
  'lesson.portUnused': 'lesson {lesson} uses no local port {port} (its ports: {ports})',
  'lesson.portUnusedNone': 'lesson {lesson} uses no local port {port} (it uses no local ports)',
  'lesson.portNotNamed': '{file}:{line}: the forward "{name}" does not name its local port {port} in its command, so it cannot be moved',
} as const;
