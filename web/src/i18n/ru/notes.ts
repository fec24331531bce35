// Русский: внутренние заметки с @упоминаниями (режим заметки в поле ввода, лента) и папка «Упоминания».
export default {
  'notes.modeLabel': 'Ответить клиенту или написать внутреннюю заметку',
  'notes.modeReply': 'Ответ',
  'notes.modeNote': 'Заметка',
  'notes.composerLabel': 'Внутренняя заметка',
  'notes.placeholder': 'Заметка для команды… (@ — упомянуть оператора)',
  'notes.hint': 'Заметки видит только команда, клиент — никогда · Enter — добавить · @ — упомянуть оператора · Esc — к ответу',
  'notes.add': 'Добавить заметку',
  'notes.adding': 'Добавляем…',
  'notes.failed': 'Заметка не добавлена: {message}',
  'notes.people': 'Кого упомянуть',
  'notes.label': 'Внутренняя заметка',
  'notes.badge': 'Заметка',
  'notes.apiAuthor': 'API',
  'inbox.folder.mentions': 'Упоминания',
};
