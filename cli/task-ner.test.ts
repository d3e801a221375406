// The task CLI with the shipped NER model (integration: it loads model files).
import { describe, expect, it } from 'vitest';
import { captured } from './capture';
import { main, defaultTaskDeps, type TaskJson } from './task';

const run = (argv: string[]) => captured((a, io) => main(a, io, defaultTaskDeps), argv);

describe('task CLI with the NER', () => {
  it('with the NER: the steps keep their own headings ("Analysis"), only the name the user wrote is replaced', async () => {
    const r = await run(['--local-decode-tps', '50', '--local-prefill-tps', '400', '--json', 'Write a report on remote work for my team. My manager Anna Rossi will read it.']);
    const j = JSON.parse(r.out) as TaskJson;
    const sent = j.nodes.map((n) => n.cloudText).filter((t): t is string => t !== null);
    for (const heading of ['Background', 'Analysis', 'Recommendations']) {
      expect(j.nodes.find((n) => n.id === heading.toLowerCase())!.prompt).toContain(`"${heading}"`);
    }
    expect(sent.some((t) => t.includes('"Analysis" section'))).toBe(true);
    expect(sent.join('\n')).not.toMatch(/Anna|Rossi|<PERSON_\d+>" section/);
  });

  it('P(accept) per step comes from the shipped capability model, as in the app; a model that cannot be read is an error', async () => {
    const req = 'Write a report on remote work for my team.';
    const flags = ['--no-ner', '--local-decode-tps', '50', '--local-prefill-tps', '400', '--json'];
    const withModel = await run([...flags, req]);
    expect(withModel.code).toBe(0);
    expect(withModel.err).toBe('');
    const prior = await run([...flags, '--capability', 'none', req]);
    expect(JSON.parse(withModel.out)).not.toEqual(JSON.parse(prior.out)); // the model's estimate moves the predictions
    const bad = await run([...flags, '--capability', '/nonexistent/capability.json', req]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^error: /);
  });
});
