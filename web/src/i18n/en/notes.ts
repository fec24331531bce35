// English: private notes with @mentions (composer note mode, timeline) and the Mentions folder.
export default {
  'notes.modeLabel': 'Reply to the customer or write a private note',
  'notes.modeReply': 'Reply',
  'notes.modeNote': 'Note',
  'notes.composerLabel': 'Private note',
  'notes.placeholder': 'Write a private note for the team… (@ to mention an agent)',
  'notes.hint': 'Only your team sees notes — the customer never does · Enter adds · @ mentions an agent · Esc back to reply',
  'notes.add': 'Add note',
  'notes.adding': 'Adding…',
  'notes.failed': 'The note was not added: {message}',
  'notes.people': 'Agents to mention',
  'notes.label': 'Private note',
  'notes.badge': 'Note',
  'notes.apiAuthor': 'API',
  'inbox.folder.mentions': 'Mentions',
};
