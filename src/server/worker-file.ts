/** A worker module beside the caller: .ts when running from the sources (tsx, ts-jest), else .js. */
export function workerFile(name: string, from: string): { filename: string; execArgv: string[] } {
  const fromSources = from.endsWith('.ts');
  const filename = new URL(`./${name}${fromSources ? '.ts' : '.js'}`, from).href;
  const hasTsx = process.execArgv.some((a, i) => a === 'tsx' && process.execArgv[i - 1] === '--import');
  return { filename, execArgv: fromSources && !hasTsx ? [...process.execArgv, '--import', 'tsx'] : process.execArgv };
}
