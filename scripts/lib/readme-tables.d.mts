// Types for the tests, which import the plain-JavaScript module from TypeScript.
export interface ActionInput {
  name: string;
  description: string;
  required: boolean;
  default?: string;
}
export interface ActionOutput {
  name: string;
  description: string;
}
export interface ActionDocs {
  inputs: ActionInput[];
  outputs: ActionOutput[];
}
export interface ReadmeUpdate {
  content: string;
  stale: string[];
  errors: string[];
}
export function parseActionYaml(text: string, source: string): ActionDocs;
export function inputsTable(action: Pick<ActionDocs, 'inputs'>): string;
export function outputsTable(action: Pick<ActionDocs, 'outputs'>): string;
export function startMarker(kind: 'inputs' | 'outputs', name: string): string;
export function endMarker(kind: 'inputs' | 'outputs', name: string): string;
export function updateReadme(readme: string, actions: Map<string, ActionDocs>): ReadmeUpdate;
export function textCell(text: string): string;
export function codeSpan(value: string): string;
