// Who did something, in words: "person:p_…" becomes the person's name, never their id (timelines, records).

export interface PeopleDirectory {
  principalOf(personId: string): Promise<{ kind: string; name?: string }>;
}

export async function actorName(actor: string, people: PeopleDirectory): Promise<string> {
  const [kind, id] = actor.split(':');
  if (kind === 'person' && id) {
    try {
      const p = await people.principalOf(id);
      if (p.kind === 'person' && p.name) return p.name;
    } catch {
      // a removed account: say so rather than show its id
    }
    return 'a former member';
  }
  if (kind === 'machine') return 'a machine token';
  if (kind === 'system') {
    if (id === 'escalation') return 'automatic escalation';
    if (id === 'detector') return 'the detector';
    return id ? `the system (${id})` : 'the system';
  }
  return actor;
}
