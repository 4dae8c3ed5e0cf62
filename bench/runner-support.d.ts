export declare const root: string;
export declare function resolveTypeScriptSources(): void;
export declare function median(values: number[]): number;
export declare const round: (value: number, digits?: number) => number;
export declare const load: () => number[];
export declare function machine(loadAtStart: number[]): {
  cpus: number;
  cpuModel: string;
  memoryGB: number;
  node: string;
  loadAverage: { start: number[]; end: number[] };
};
export declare const resultPath: (name: string) => string;
export declare function writeResult(name: string, result: unknown): string;
