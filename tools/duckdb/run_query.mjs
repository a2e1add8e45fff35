// The DuckDB peer's driver: harness/peers/duckdb_peer.cpp starts it once per dataset and talks to it in
// JSON lines, one request on stdin, one reply on stdout, until stdin closes.
//
//   {"setup": SQL}              runs SQL untimed (loading the data)
//                               -> {"ok": true, "ns": wall time of the statement}
//   {"query": SQL, "out": PATH} runs SQL, timed around the query and the fetch of every result
//                               chunk (inside DuckDB; values are not yet converted to JS), then
//                               writes the rows to PATH untimed, one JSON array per line
//                               -> {"ok": true, "query_ns": N, "rows": R}
//   any failure                 -> {"ok": false, "error": "..."}
//
// One thread (SET threads = 1), an in-memory database. Integers (BIGINT, HUGEINT) are written as
// JSON numbers from their exact decimal text, never through a double.
import { openSync, writeSync, closeSync } from 'node:fs';
import { createInterface } from 'node:readline';

import { DuckDBInstance } from '@duckdb/node-api';

function reply(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

function jsonValue(v) {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : JSON.stringify(String(v));
  if (typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
  return JSON.stringify(String(v));  // types no translated query produces (dates, lists, ...)
}

function writeRows(path, rows) {
  const fd = openSync(path, 'w');
  try {
    let buffer = '';
    for (const row of rows) {
      buffer += '[' + row.map(jsonValue).join(',') + ']\n';
      if (buffer.length > (1 << 20)) {
        writeSync(fd, buffer);
        buffer = '';
      }
    }
    if (buffer.length) writeSync(fd, buffer);
  } finally {
    closeSync(fd);
  }
}

// The timed query; the result's objects are garbage once this returns.
async function runQuery(sql, out) {
  const t0 = process.hrtime.bigint();
  const reader = await connection.runAndReadAll(sql);
  const queryNs = process.hrtime.bigint() - t0;
  const rows = reader.getRowsJS();
  writeRows(out, rows);
  return { queryNs, count: rows.length };
}

const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
const connection = await instance.connect();
await connection.run('SET threads = 1');
reply({ ok: true, ready: true });

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  try {
    const request = JSON.parse(line);
    if (typeof request.setup === 'string') {
      const t0 = process.hrtime.bigint();
      await connection.run(request.setup);
      reply({ ok: true, ns: Number(process.hrtime.bigint() - t0) });
    } else if (typeof request.query === 'string' && typeof request.out === 'string') {
      const { queryNs, count } = await runQuery(request.query, request.out);
      // Collect the result's garbage now, before replying, rather than on GC threads while the
      // harness times its next cell (the harness also waits for this process to go idle).
      if (typeof globalThis.gc === 'function') globalThis.gc();
      reply({ ok: true, query_ns: Number(queryNs), rows: count });
    } else {
      reply({ ok: false, error: 'request needs "setup", or "query" and "out": ' + line.slice(0, 200) });
    }
  } catch (e) {
    reply({ ok: false, error: String(e && e.message ? e.message : e) });
  }
}
connection.closeSync?.();
// stdin closed: the harness is done with this dataset.
process.exit(0);
