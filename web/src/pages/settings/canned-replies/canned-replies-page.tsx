// Settings → Canned replies («быстрые ответы»): the list (shortcut, title, who sees it, a preview with a
// sample contact), create/edit in a dialog with a live preview, delete after a confirmation.

import { useState } from 'react';
import { useT } from '../../../i18n/i18n.js';
import { Button, EmptyState, Notice, Spinner } from '../../../ui/ui.js';
import { Dialog } from '../dialog.js';
import settings from '../settings.module.css';
import { useLoad } from '../use-load.js';
import {
  cannedErrorText, deleteCanned, listCanned, listCannedTeams, previewOf, sampleValues,
  type CannedReply, type CannedTeam, type Outcome,
} from './canned-api.js';
import { CannedForm } from './canned-form.js';
import styles from './canned.module.css';

type Editing = { kind: 'form'; reply: CannedReply | null } | { kind: 'delete'; reply: CannedReply } | null;

async function loadAll(): Promise<Outcome<{ replies: CannedReply[]; teams: CannedTeam[] }>> {
  const [replies, teams] = await Promise.all([listCanned(), listCannedTeams()]);
  if (!replies.ok) return replies;
  if (!teams.ok) return teams;
  return { ok: true, data: { replies: replies.data.items, teams: teams.data.items } };
}

function DeleteDialog(props: { reply: CannedReply; onDone: (deleted: boolean) => void }) {
  const t = useT();
  const [problem, setProblem] = useState<string | null>(null);
  const confirm = async () => {
    const res = await deleteCanned(props.reply.id);
    if (res.ok || res.error.code === 'canned_reply_not_found') props.onDone(true);
    else setProblem(cannedErrorText(res.error));
  };
  return (
    <Dialog title={t('canned.deleteTitle', { shortcut: props.reply.shortcut })} onClose={() => props.onDone(false)}>
      {problem && <Notice kind="error">{problem}</Notice>}
      <p>{t('canned.deleteText')}</p>
      <div className={settings.dialogActions}>
        <Button onClick={() => props.onDone(false)}>{t('canned.cancel')}</Button>
        <Button className={settings.danger} onClick={() => void confirm()}>{t('canned.delete')}</Button>
      </div>
    </Dialog>
  );
}

export function CannedRepliesPage(props: { me: { name: string } }) {
  const t = useT();
  const [data, reload, replace] = useLoad(loadAll);
  const [editing, setEditing] = useState<Editing>(null);
  const sample = sampleValues(props.me.name);

  const saved = (reply: CannedReply | null) => {
    setEditing(null);
    if (!reply || data.status !== 'ready') return;
    const rest = data.data.replies.filter((r) => r.id !== reply.id);
    replace({ ...data.data, replies: [...rest, reply].sort((a, b) => a.shortcut.localeCompare(b.shortcut)) });
  };

  let body;
  if (data.status === 'loading') body = <Spinner label={t('canned.loading')} />;
  else if (data.status === 'error') {
    body = <><Notice kind="error">{t('canned.loadFailed', { message: cannedErrorText(data.error) })}</Notice><Button onClick={reload}>{t('canned.retry')}</Button></>;
  } else if (data.data.replies.length === 0) body = <EmptyState title={t('canned.empty.title')} text={t('canned.empty.text')} />;
  else {
    body = (
      <div className={settings.tableWrap}>
        <table className={settings.table} data-testid="canned-table">
          <thead>
            <tr>
              <th scope="col">{t('canned.col.shortcut')}</th><th scope="col">{t('canned.col.title')}</th>
              <th scope="col">{t('canned.col.team')}</th><th scope="col">{t('canned.col.preview')}</th><th scope="col">{t('canned.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {data.data.replies.map((reply) => (
              <tr key={reply.id} data-canned-id={reply.id}>
                <td className={styles.shortcut}>/{reply.shortcut}</td>
                <td>{reply.title}</td>
                <td>{reply.team?.name ?? t('canned.everyone')}</td>
                <td className={styles.preview} title={previewOf(reply.body, sample)}>{previewOf(reply.body, sample)}</td>
                <td>
                  <div className={settings.actions}>
                    <Button onClick={() => setEditing({ kind: 'form', reply })} aria-label={t('canned.editWho', { shortcut: reply.shortcut })}>{t('canned.edit')}</Button>
                    <Button onClick={() => setEditing({ kind: 'delete', reply })} aria-label={t('canned.deleteWho', { shortcut: reply.shortcut })}>{t('canned.delete')}</Button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <section aria-labelledby="settings-title">
      <div className={settings.pageHeader}>
        <h1 id="settings-title" className={settings.title}>{t('canned.title')}</h1>
        <Button variant="primary" disabled={data.status !== 'ready'} onClick={() => setEditing({ kind: 'form', reply: null })}>{t('canned.new')}</Button>
      </div>
      <p className={settings.lead}>{t('canned.lead')}</p>
      {body}
      {editing?.kind === 'form' && data.status === 'ready' && (
        <CannedForm reply={editing.reply} teams={data.data.teams} agentName={props.me.name} onDone={saved} />
      )}
      {editing?.kind === 'delete' && (
        <DeleteDialog reply={editing.reply} onDone={(deleted) => {
          setEditing(null);
          if (deleted && data.status === 'ready') replace({ ...data.data, replies: data.data.replies.filter((r) => r.id !== editing.reply.id) });
        }} />
      )}
    </section>
  );
}
