import type { Database } from 'better-sqlite3';
import { segmentSeed } from '../../shared/seeds';

// The seed a job runs with becomes a column (it was a field of options_json, read back through a
// fallback to the render's seed), and every take records the seed its segment was generated with,
// which the render cache keys on. Old takes of the neural engine get the seed they were generated
// with (derived exactly as the engine derived it); the sampled grand takes no seed (NULL).
export function migration0003(db: Database): void {
  db.exec(`
    ALTER TABLE jobs ADD COLUMN seed INTEGER;
    UPDATE jobs SET seed = coalesce(
      json_extract(options_json, '$.seed'),
      (SELECT r.seed FROM renders r WHERE r.id = jobs.render_id)
    );
    ALTER TABLE takes ADD COLUMN segment_seed INTEGER;
  `);
  const rows = db
    .prepare(
      `SELECT t.id, t.seed, s.idx FROM takes t JOIN segments s ON s.id = t.segment_id
       JOIN renders r ON r.id = s.render_id WHERE r.engine = 'neural'`,
    )
    .all() as Array<{ id: string; seed: number; idx: number }>;
  const update = db.prepare('UPDATE takes SET segment_seed = ? WHERE id = ?');
  for (const row of rows) update.run(segmentSeed(row.seed, row.idx), row.id);
}
