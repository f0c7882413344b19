// Use cases of the economic model: import into an economy, read it, export it, set targets.
import { DomainError, notFound } from '../core/errors';
import { newId } from '../core/ids';
import type {
  EconomyModel,
  DemandTarget,
  TechnologyCoefficients,
  TechnologyUser,
  TechnologyVersion,
} from './economy';
import type { EconomyRepository, EconomyRow, Revision } from './economy.repository';
import type { ImportFormat, ImportReport, ImportResult } from './import/import-result';
import { exportEconomyCsv } from './export/ogas-csv';
import { exportEconomyJson } from './export/ogas-json';

export type Importer = (
  content: Buffer,
  options: { format?: ImportFormat | 'auto'; year?: number },
) => Promise<ImportResult>;

export interface EconomySummary extends EconomyRow {
  products: number;
  technologies: number;
  targets: number;
}

export class EconomyService {
  constructor(
    private readonly repo: EconomyRepository,
    private readonly importer: Importer,
  ) {}

  async list(unitIds: string[] | 'everywhere'): Promise<EconomyRow[]> {
    return this.repo.list(unitIds);
  }

  async get(id: string): Promise<EconomyRow> {
    const row = await this.repo.byId(id);
    if (!row) throw notFound('economy', id);
    return row;
  }

  async unitOf(id: string): Promise<string | null> {
    return (await this.repo.byId(id))?.unitId ?? null;
  }

  async model(id: string): Promise<EconomyModel> {
    const model = await this.repo.load(id);
    if (!model) throw notFound('economy', id);
    return model;
  }

  async summary(id: string): Promise<EconomySummary> {
    const row = await this.get(id);
    const model = await this.model(id);
    return {
      ...row,
      products: model.products.length,
      technologies: model.technologies.length,
      targets: model.targets.length,
    };
  }

  /** Parses a model file without storing it. */
  async parse(
    content: Buffer,
    options: { format?: ImportFormat | 'auto'; year?: number },
  ): Promise<ImportResult> {
    return this.importer(content, options);
  }

  /** Parses the file and loads it whole, or loads nothing: the importer refuses inconsistent tables. */
  async import(input: {
    unitId: string;
    content: Buffer;
    format?: ImportFormat | 'auto';
    year?: number;
    name?: string;
    replaceEconomyId?: string;
  }): Promise<{ economy: EconomyRow; report: ImportReport }> {
    const result = await this.importer(input.content, {
      ...(input.format === undefined ? {} : { format: input.format }),
      ...(input.year === undefined ? {} : { year: input.year }),
    });
    return this.save(input.unitId, result.model, result.report, input.name, input.replaceEconomyId);
  }

  async save(
    unitId: string,
    model: EconomyModel,
    report: ImportReport,
    name?: string,
    replaceEconomyId?: string,
  ): Promise<{ economy: EconomyRow; report: ImportReport }> {
    if (replaceEconomyId) {
      const existing = await this.get(replaceEconomyId);
      if (existing.unitId !== unitId) {
        throw new DomainError('conflict', 'economyId: that economy belongs to another unit', {
          issues: [{ field: 'economyId', message: `belongs to unit ${existing.unitId}` }],
        });
      }
    }
    const economy = await this.repo.save(
      { id: replaceEconomyId ?? newId('e'), unitId, name: name ?? model.name, source: model.source ?? null },
      model,
      replaceEconomyId !== undefined,
    );
    return { economy, report };
  }

  async export(id: string, format: 'json' | 'csv'): Promise<string> {
    const model = await this.model(id);
    return format === 'json' ? exportEconomyJson(model) : exportEconomyCsv(model);
  }

  async setTargets(id: string, targets: DemandTarget[]): Promise<{ version: number }> {
    const model = await this.model(id);
    const codes = new Set(model.products.map((p) => p.code));
    const issues = targets.flatMap((t, i) =>
      codes.has(t.product)
        ? []
        : [{ field: `targets[${i}].product`, message: `unknown product "${t.product}"` }],
    );
    if (issues.length > 0) {
      throw new DomainError(
        'invalid',
        `targets name unknown products: ${issues.map((i) => i.field).join(', ')}`,
        {
          issues,
          fix: 'use product codes from economy.model',
        },
      );
    }
    return { version: await this.repo.setTargets(id, targets) };
  }

  /** The technology of the economy, or a 404 naming it. */
  async technology(economyId: string, code: string): Promise<EconomyModel['technologies'][number]> {
    const model = await this.model(economyId);
    const tech = model.technologies.find((t) => t.code === code);
    if (!tech)
      throw new DomainError('not-found', `technology "${code}" is not in economy ${economyId}`, {
        issues: [{ field: 'technology', message: `unknown technology "${code}"` }],
        fix: 'use a technology code from economy.model',
      });
    return tech;
  }

  async technologyVersions(economyId: string, code: string): Promise<TechnologyVersion[]> {
    await this.technology(economyId, code);
    return this.repo.technologyVersions(economyId, code);
  }

  /**
   * A new, dated version of the technology's coefficients; the caller has checked them. Null when `expected`
   * is given and the live coefficients are no longer those.
   */
  reviseTechnology(
    economyId: string,
    code: string,
    coefficients: TechnologyCoefficients,
    at: Date,
    reason: string,
    proposalId: string | null,
    expected?: TechnologyCoefficients,
  ): Promise<Revision | null> {
    return this.repo.reviseTechnology(economyId, code, coefficients, at, reason, proposalId, expected);
  }

  technologyUsers(economyId: string, code: string): Promise<TechnologyUser[]> {
    return this.repo.technologyUsers(economyId, code);
  }

  async setTechnologyUsers(
    economyId: string,
    code: string,
    users: TechnologyUser[],
  ): Promise<TechnologyUser[]> {
    await this.technology(economyId, code);
    const seen = new Set<string>();
    const issues = users.flatMap((u, i) => {
      if (seen.has(u.unitId)) return [{ field: `users[${i}].unitId`, message: 'listed twice' }];
      seen.add(u.unitId);
      return [];
    });
    const total = users.reduce((s, u) => s + u.share, 0);
    if (total > 1 + 1e-9) issues.push({ field: 'users', message: `shares sum to ${total}, more than 1` });
    if (issues.length > 0)
      throw new DomainError('invalid', `users: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`, {
        issues,
        fix: "list each unit once, with shares of the technology's output that sum to at most 1",
      });
    await this.repo.setTechnologyUsers(economyId, code, users);
    return this.repo.technologyUsers(economyId, code);
  }
}
