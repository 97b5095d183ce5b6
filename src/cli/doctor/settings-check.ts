import { settingProblems } from '../../settings/settings.js';
import type { DoctorCheck } from './doctor-check.js';

/**
 * The settings' values, judged by the table's schemas: a refused value silently means the default
 * (as the plugins read theirs), so doctor is where the user learns of the typo. A warning, not a
 * failure: continuum works, only not as the user meant.
 */
export function settingsChecks(
  options: ReadonlyMap<string, string>,
  environment: NodeJS.ProcessEnv,
): DoctorCheck[] {
  const problems = settingProblems(options, environment);
  if (problems.length === 0)
    return [{ result: 'ok', what: 'settings', detail: 'every value set is allowed' }];
  return problems.map((problem) => ({
    result: 'warn',
    what: 'settings',
    detail: problem,
    action: 'the default is used instead: see docs/options.md',
  }));
}
