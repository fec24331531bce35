// Settings → Response times → Business hours: the workspace's timetable (time zone, each weekday closed
// or open in one or more from–to intervals, closed dates) that policies counting only open hours use.

import { useId } from 'react';
import { useT } from '../../../i18n/i18n.js';
import { Button } from '../../../ui/ui.js';
import settings from '../settings.module.css';
import styles from './sla.module.css';
import type { SlaSettings } from './sla-api.js';

export type BusinessHours = SlaSettings['businessHours'];
export type Weekday = keyof BusinessHours['week'];
type Interval = BusinessHours['week'][Weekday][number];

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Zones a support desk in Russia and its neighbours most often works in; the saved one is added if missing. */
const COMMON_ZONES = [
  'Europe/Kaliningrad', 'Europe/Moscow', 'Europe/Samara', 'Asia/Yekaterinburg', 'Asia/Omsk', 'Asia/Novosibirsk',
  'Asia/Krasnoyarsk', 'Asia/Irkutsk', 'Asia/Yakutsk', 'Asia/Vladivostok', 'Asia/Magadan', 'Asia/Kamchatka',
  'Europe/Minsk', 'Europe/Kyiv', 'Asia/Almaty', 'Asia/Tashkent', 'Asia/Bishkek', 'Asia/Tbilisi', 'Asia/Yerevan', 'Asia/Baku',
  'Europe/Istanbul', 'Asia/Dubai', 'Europe/London', 'Europe/Berlin', 'Europe/Paris', 'Europe/Madrid',
  'America/New_York', 'America/Chicago', 'America/Los_Angeles', 'America/Sao_Paulo', 'Asia/Kolkata',
  'Asia/Singapore', 'Asia/Shanghai', 'Asia/Tokyo', 'Australia/Sydney', 'UTC',
];

function offsetOf(zone: string): string {
  try {
    const part = new Intl.DateTimeFormat('en', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(new Date())
      .find((p) => p.type === 'timeZoneName');
    return part?.value ?? '';
  } catch {
    return '';
  }
}

/** An <input type="time"> cannot show 24:00: the end of the day is shown and typed as 00:00. */
const shownTo = (to: string) => (to === '24:00' ? '00:00' : to);
const storedTo = (value: string) => (value === '00:00' ? '24:00' : value);

export interface HoursProblem { text: string; day?: Weekday }

/** A problem the browser can name in the operator's language before the server is asked (and its day), or null. */
export function hoursProblem(hours: BusinessHours, t: (key: string, vars?: Record<string, string | number>) => string): HoursProblem | null {
  for (const day of WEEKDAYS) {
    for (const { from, to } of hours.week[day]) {
      if (!from || !to) return { day, text: t('sla.hours.incomplete', { day: t(`sla.hours.day.${day}`) }) };
      if (to <= from) return { day, text: t('sla.hours.endsBeforeStart', { day: t(`sla.hours.day.${day}`), from, to: shownTo(to) }) };
    }
    // 'HH:MM' strings (and '24:00') sort as times: an interval that starts before the previous one ends overlaps it.
    const sorted = [...hours.week[day]].sort((a, b) => a.from.localeCompare(b.from));
    for (let k = 1; k < sorted.length; k++) {
      const [prev, next] = [sorted[k - 1]!, sorted[k]!];
      if (next.from < prev.to) {
        const span = (iv: Interval) => `${iv.from}–${shownTo(iv.to)}`;
        return { day, text: t('sla.hours.overlap', { day: t(`sla.hours.day.${day}`), first: span(prev), second: span(next) }) };
      }
    }
  }
  if (WEEKDAYS.every((d) => hours.week[d].length === 0)) return { text: t('sla.hours.allClosed') };
  if (hours.holidays.some((d) => d === '')) return { text: t('sla.hours.holidayEmpty') };
  return null;
}

export function BusinessHoursFields(props: { hours: BusinessHours; invalidDay?: Weekday | undefined; onChange: (next: BusinessHours) => void }) {
  const t = useT();
  const zoneId = useId();
  const { hours, onChange, invalidDay } = props;
  const zones = COMMON_ZONES.includes(hours.timeZone) ? COMMON_ZONES : [hours.timeZone, ...COMMON_ZONES];
  const setDay = (day: Weekday, intervals: Interval[]) => onChange({ ...hours, week: { ...hours.week, [day]: intervals } });
  const setInterval = (day: Weekday, i: number, patch: Partial<Interval>) =>
    setDay(day, hours.week[day].map((iv, k) => (k === i ? { ...iv, ...patch } : iv)));
  const setHoliday = (i: number, date: string) => onChange({ ...hours, holidays: hours.holidays.map((d, k) => (k === i ? date : d)) });

  return (
    <fieldset className={styles.hours} data-testid="business-hours">
      <legend>{t('sla.hours.timetable')}</legend>
      <p className={`${settings.muted} ${styles.shared}`}>{t('sla.hours.shared')}</p>
      <div className={settings.selectField}>
        <label htmlFor={zoneId}>{t('sla.hours.zone')}</label>
        <select id={zoneId} value={hours.timeZone} onChange={(e) => onChange({ ...hours, timeZone: e.target.value })}>
          {zones.map((z) => <option key={z} value={z}>{`${z.replace(/_/g, ' ')} (${offsetOf(z)})`}</option>)}
        </select>
      </div>
      <div className={settings.tableWrap}>
        <table className={`${settings.table} ${styles.week}`}>
          <thead>
            <tr><th scope="col">{t('sla.hours.day')}</th><th scope="col">{t('sla.hours.closed')}</th><th scope="col">{t('sla.hours.open')}</th></tr>
          </thead>
          <tbody>
            {WEEKDAYS.map((day) => {
              const name = t(`sla.hours.day.${day}`);
              const intervals = hours.week[day];
              return (
                <tr key={day} data-day={day} className={day === invalidDay ? styles.invalid : undefined}>
                  <th scope="row">{name}</th>
                  <td>
                    <input
                      type="checkbox" aria-label={t('sla.hours.closedOf', { day: name })} checked={intervals.length === 0}
                      onChange={(e) => setDay(day, e.target.checked ? [] : [{ from: '09:00', to: '18:00' }])}
                    />
                  </td>
                  <td>
                    {intervals.length === 0 && <span className={settings.hint}>{t('sla.hours.closedAllDay')}</span>}
                    {intervals.map((iv, i) => {
                      const n: Record<string, string | number> = { day: name, n: i + 1 };
                      return (
                        <div key={i} className={styles.interval}>
                          <input
                            type="time" required value={iv.from} aria-invalid={day === invalidDay || undefined} aria-label={t(intervals.length > 1 ? 'sla.hours.fromOfN' : 'sla.hours.fromOf', n)}
                            onChange={(e) => setInterval(day, i, { from: e.target.value })}
                          />
                          <span aria-hidden="true">–</span>
                          <input
                            type="time" required value={shownTo(iv.to)} aria-invalid={day === invalidDay || undefined} aria-label={t(intervals.length > 1 ? 'sla.hours.toOfN' : 'sla.hours.toOf', n)}
                            onChange={(e) => setInterval(day, i, { to: storedTo(e.target.value) })}
                          />
                          {intervals.length > 1 && (
                            <Button onClick={() => setDay(day, intervals.filter((_, k) => k !== i))} aria-label={t('sla.hours.removeIntervalOf', n)}>
                              {t('sla.hours.removeInterval')}
                            </Button>
                          )}
                          {i === intervals.length - 1 && intervals.length < 6 && iv.to !== '24:00' && (
                            <Button onClick={() => setDay(day, [...intervals, nextInterval(intervals)])} aria-label={t('sla.hours.addIntervalOf', { day: name })}>
                              {t('sla.hours.addInterval')}
                            </Button>
                          )}
                        </div>
                      );
                    })}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className={settings.hint}>{t('sla.hours.midnight')}</p>
      <fieldset className={styles.holidays}>
        <legend>{t('sla.hours.holidays')}</legend>
        {hours.holidays.length === 0 && <p className={settings.hint}>{t('sla.hours.noHolidays')}</p>}
        {hours.holidays.map((date, i) => (
          <div key={i} className={styles.interval}>
            <input type="date" required value={date} aria-label={t('sla.hours.holiday', { n: i + 1 })} onChange={(e) => setHoliday(i, e.target.value)} />
            <Button onClick={() => onChange({ ...hours, holidays: hours.holidays.filter((_, k) => k !== i) })} aria-label={t('sla.hours.removeHolidayOf', { n: i + 1 })}>{t('sla.hours.removeHoliday')}</Button>
          </div>
        ))}
        {hours.holidays.length < 100 && <Button onClick={() => onChange({ ...hours, holidays: [...hours.holidays, ''] })}>{t('sla.hours.addHoliday')}</Button>}
      </fieldset>
    </fieldset>
  );
}

/** A new interval after the day's last one (an hour later, until the end of the day). */
function nextInterval(intervals: Interval[]): Interval {
  const last = intervals[intervals.length - 1]?.to ?? '18:00';
  const [h] = last.split(':').map(Number);
  const start = Math.min(23, (h ?? 18) + 1);
  return { from: `${String(start).padStart(2, '0')}:00`, to: start >= 23 ? '24:00' : `${String(start + 1).padStart(2, '0')}:00` };
}
