// Publish a record: the file streams to PUT /api/library/upload (never read whole by the page), then the
// record names it by the SHA-256 the server answered.
import { useState, type FormEvent } from 'react';
import type { GrantUnit } from '../../api/abilities';
import { api, ApiError, unwrap } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';

const TYPES = ['drawing', 'standard', 'procedure', 'report', 'dataset', 'paper'] as const;

async function uploadFile(unitId: string, file: File): Promise<{ sha256: string }> {
  const res = await fetch(`/api/library/upload?unitId=${encodeURIComponent(unitId)}`, {
    method: 'PUT',
    body: file,
    credentials: 'same-origin',
    headers: { 'content-type': 'application/octet-stream' },
  });
  const body = (await res.json()) as { sha256?: string; detail?: string; status?: number };
  if (!res.ok || !body.sha256) throw new ApiError(res.status, body as never, body.detail ?? 'upload failed');
  return { sha256: body.sha256 };
}

export function UploadForm({
  units,
  onPublished,
}: {
  /** The units of the reader's grants where they may publish (suggested; a unit below one works too). */
  units: GrantUnit[];
  onPublished: (recordId: string) => void;
}) {
  const [unitId, setUnitId] = useState(units.length === 1 ? (units[0]?.id ?? '') : '');
  const [title, setTitle] = useState('');
  const [type, setType] = useState<(typeof TYPES)[number]>('report');
  const [abstract, setAbstract] = useState('');
  const [level, setLevel] = useState<'public' | 'subtree'>('public');
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const files = file
        ? [
            {
              ...(await uploadFile(unitId, file)),
              name: file.name,
              mediaType: file.type || 'application/octet-stream',
            },
          ]
        : [];
      const published = await unwrap(
        api.POST('/api/library/record/publish', {
          body: {
            unitId,
            type,
            title,
            abstract,
            files,
            access: level === 'public' ? { level: 'public' } : { level: 'subtree', unitId },
          } as never,
        }),
      );
      onPublished((published as { recordId: string }).recordId);
    } catch (x) {
      setError(x instanceof Error ? x : new Error(String(x)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="official">
      <summary>Publish a record (managers of a unit)</summary>
      <form onSubmit={(e) => void submit(e)}>
        <label className="block-label">
          Unit id
          <input
            value={unitId}
            onChange={(e) => setUnitId(e.target.value)}
            required
            name="unitId"
            list="publish-units"
          />
          <datalist id="publish-units">
            {units.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </datalist>
        </label>
        <label className="block-label">
          Title
          <input value={title} onChange={(e) => setTitle(e.target.value)} required name="title" />
        </label>
        <label className="block-label">
          Type
          <select value={type} onChange={(e) => setType(e.target.value as (typeof TYPES)[number])}>
            {TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label className="block-label">
          Abstract
          <textarea value={abstract} onChange={(e) => setAbstract(e.target.value)} rows={3} name="abstract" />
        </label>
        <label className="block-label">
          Who may read it
          <select value={level} onChange={(e) => setLevel(e.target.value as 'public' | 'subtree')}>
            <option value="public">everyone</option>
            <option value="subtree">members of this unit and its subtree</option>
          </select>
        </label>
        <label className="block-label">
          File (PDF or text are searchable)
          <input type="file" name="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Publishing…' : 'Publish'}
        </button>
        {error && <ErrorNotice error={error} />}
      </form>
    </details>
  );
}
