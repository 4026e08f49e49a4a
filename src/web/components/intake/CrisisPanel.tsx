import type { SubmitResponseResult } from '../../api/intake';
import './intake.css';

/**
 * Crisis resources, shown the moment a critical answer is saved (PHQ-9 item 9 > 0 or an
 * imported instrument's critical item). Announced to screen readers (role=alert) without
 * taking focus away from the question being answered.
 */
export function CrisisPanel({ resources, message }: { resources: SubmitResponseResult['crisisResources']; message: string | null }) {
  if (resources.length === 0) return null;
  return (
    <section className="crisis-panel" role="alert" aria-labelledby="crisis-title" tabIndex={-1}>
      <h2 id="crisis-title">You are not alone — help is available now</h2>
      {message ? <p>{message}</p> : null}
      <ul>
        {resources.map((r) => (
          <li key={r.id}>
            <a className="crisis-panel__call" href={r.href}>
              {r.name}
            </a>
            <p>{r.action}</p>
            {r.detail ? <p className="muted">{r.detail}</p> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
