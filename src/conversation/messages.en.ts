import type { Answer, AnswerStatus, Task } from './conversation-types.js';

const statusLabels: Record<AnswerStatus, string> = { OK: 'OK', NOT_OK: 'NOT OK', NA: 'NA' };

const formatHint = (): string => 'Reply OK, NOT OK or NA, with a remark. Example: OK - oil level normal';

const question = (n: number, total: number, taskText: string, requiresPhoto = false): string => {
  const lines = [`📋 Question ${n} of ${total}: ${taskText}`, formatHint()];
  if (requiresPhoto) {
    lines.push('📷 Photo required: send it with your answer as its caption, or send the photo first.');
  }
  return lines.join('\n');
};

const summaryLine = (n: number, task: Task, answer: Answer | undefined): string => {
  if (answer === undefined) return `${n}. ${task.text} - no answer`;
  const remarks = answer.remarks === null ? '' : ` - ${answer.remarks}`;
  const photo = answer.photo === null ? '' : ' 📷';
  return `${n}. ${task.text} - ${statusLabels[answer.status]}${remarks}${photo}`;
};

export const messagesEn = {
  formatHint,
  question,
  invalidAnswer: (n: number, total: number, taskText: string, requiresPhoto = false): string =>
    `🤔 Sorry, I didn't understand. Start your answer with OK, NOT OK or NA.\n\n${question(n, total, taskText, requiresPhoto)}`,
  confirmTooEarly: (n: number, total: number, taskText: string, requiresPhoto = false): string =>
    `There are still questions to answer before CONFIRM.\n\n${question(n, total, taskText, requiresPhoto)}`,
  photoReceived: (): string => '📷 Photo received, now send OK / NOT OK / NA with remarks',
  photoReplaced: (): string =>
    '📷 Photo received and it replaces your earlier one, now send OK / NOT OK / NA with remarks',
  photoRequired: (n: number, total: number, taskText: string): string =>
    '📷 This question needs a photo. Send the photo with your answer as its caption, or send the photo first.' +
    `\n\n${question(n, total, taskText)}`,
  summary: (tasks: Task[], answers: Answer[]): string => {
    const lines = tasks.map((task, i) => summaryLine(i + 1, task, answers.find((a) => a.taskIndex === i)));
    return [`✅ All ${tasks.length} questions answered. Summary:`, ...lines, 'Reply CONFIRM to submit.'].join('\n');
  },
  confirmPrompt: (): string => 'Reply CONFIRM to submit your checklist.',
  completed: (): string => '🎉 Thank you! Your checklist has been submitted.',
  noActiveSession: (): string =>
    '👋 There is no open checklist for this number right now. Your manager will assign one.',
  unsupportedType: (): string => 'Sorry, I can only read text and photos. Please answer with text or a photo.',
  cancelled: (checklist: string, machine: string): string =>
    `🛑 Your checklist "${checklist}" for ${machine} was cancelled by your manager. No need to answer it any more.`,
};

export type Messages = typeof messagesEn;
