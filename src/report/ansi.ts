// Minimal ANSI styling; every style is the identity when colour is off, so callers never branch.

export interface Palette {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  green(text: string): string;
  magenta(text: string): string;
  /** Bold white on red (padded), for the one thing that must not be missed: a live credential. */
  alarm(text: string): string;
}

function style(open: string, close: string): (text: string) => string {
  return (text) => `\u001b[${open}m${text}\u001b[${close}m`;
}

const identity = (text: string): string => text;

export function palette(color: boolean): Palette {
  if (!color) {
    return { bold: identity, dim: identity, red: identity, yellow: identity, cyan: identity, green: identity, magenta: identity, alarm: identity };
  }
  return {
    bold: style('1', '22'),
    dim: style('2', '22'),
    red: style('31', '39'),
    yellow: style('33', '39'),
    cyan: style('36', '39'),
    green: style('32', '39'),
    magenta: style('35', '39'),
    alarm: (text) => style('1;97;41', '0')(` ${text} `),
  };
}
