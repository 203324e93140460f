/** TLA+ tools: locating/fetching the pinned TLC jar and running SANY, pcal.trans and TLC. */
export { javaVersion, javaMajor, parseJavaVersion, MIN_JAVA_MAJOR } from './java.ts';
export { TLA_TOOLS, cacheDir, cachedJarPath, fetchJar, locateJar, sha256File, tlcVersion, type JarInfo } from './jar.ts';
export * from './tool-output.ts';
export {
  formatTlaValue,
  parseTlaState,
  parseTlaValue,
  TlaValueSyntaxError,
  type TlaValue,
} from './tla-value.ts';
export {
  displayPath,
  ModuleFiles,
  parseSanyReport,
  parseTlaRange,
  runSany,
  sanyErrors,
  type SanyIssue,
  type TlaRange,
} from './sany.ts';
export {
  cfgProperties,
  interpretTlc,
  runTlc,
  type RunTlcOptions,
  type TlcAction,
  type TlcOutcome,
  type TlcProgress,
  type TlcRun,
  type TlcTraceStep,
} from './run-tlc.ts';
export { parsePcalOutput, runPcalTrans, type PcalIssue } from './pcal.ts';
