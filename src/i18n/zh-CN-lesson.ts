import type { Message } from './catalog.js';
import type { enLesson } from './en-lesson.js';

/** 简体中文：课程层（src/lesson/）的消息。 */
export const zhCNLesson: Record<keyof typeof enLesson, Message> = {
  'lesson.portsMoved': '端口已移动（--port）：{moves}',
  'lesson.portMoved': '课程的 {from} 现在是 localhost:{to}',
  'lesson.portFlagBad': '--port 的写法是 LESSON_PORT=LOCAL_PORT（例如 --port 15032=15099，或用 15032=auto 取任一空闲端口），而不是“{value}”',
  'lesson.portUnused': '课程 {lesson} 没有用到本地端口 {port}（它用到的端口：{ports}）',
  'lesson.portUnusedNone': '课程 {lesson} 没有用到本地端口 {port}（它不使用任何本地端口）',
  'lesson.portNotNamed': '{file}:{line}：转发“{name}”的命令里没有写出它的本地端口 {port}，因此无法移动',
};
