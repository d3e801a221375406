// Checks the arithmetic an answer states: every "a op b … = c" (and GSM8K's
// "<<a*b=c>>" calculator notes) is evaluated and compared with c. Pure.

export interface ArithCheck {
  /** Statements whose left side evaluates to the stated result. */
  right: number;
  /** Statements whose left side does not. */
  wrong: number;
}

const NUM = String.raw`\$?\d[\d,]*(?:\.\d+)?%?`;
// A maximal run of numbers, operators and parentheses right before "=".
const STATEMENT = new RegExp(String.raw`((?:[(\s]*${NUM}[)\s]*(?:[-+*/×÷x^][(\s]*${NUM}[)\s]*)+))=\s*(-?${NUM})`, 'g');

function num(s: string): number {
  return Number(s.replace(/[$,%\s]/g, ''));
}

/** A tiny recursive-descent evaluator for + - * / ^ and parentheses; null when it cannot parse. */
export function evaluate(expr: string): number | null {
  const found = expr.replace(/×|\bx\b/g, '*').replace(/÷/g, '/').match(/\d[\d,]*(?:\.\d+)?%?|[-+*/^()]/g);
  if (!found) return null;
  const toks: string[] = found;
  let i = 0;
  const peek = () => toks[i];
  function atom(): number | null {
    const t = toks[i++];
    if (t === undefined) return null;
    if (t === '(') {
      const v = sum();
      if (toks[i++] !== ')') return null;
      return v;
    }
    if (t === '-') {
      const v = atom();
      return v === null ? null : -v;
    }
    const v = num(t);
    return Number.isFinite(v) ? v : null;
  }
  function power(): number | null {
    const b = atom();
    if (b === null) return null;
    if (peek() === '^') {
      i++;
      const e = power();
      return e === null ? null : b ** e;
    }
    return b;
  }
  function product(): number | null {
    let v = power();
    while (v !== null && (peek() === '*' || peek() === '/')) {
      const op = toks[i++];
      const r = power();
      if (r === null) return null;
      v = op === '*' ? v * r : v / r;
    }
    return v;
  }
  function sum(): number | null {
    let v = product();
    while (v !== null && (peek() === '+' || peek() === '-')) {
      const op = toks[i++];
      const r = product();
      if (r === null) return null;
      v = op === '+' ? v + r : v - r;
    }
    return v;
  }
  const v = sum();
  return v !== null && i === toks.length && Number.isFinite(v) ? v : null;
}

function decimals(s: string): number {
  const m = /\.(\d+)/.exec(s);
  return m ? m[1].length : 0;
}

/** Right and wrong "a op b = c" statements in a text. */
export function checkArithmetic(text: string): ArithCheck {
  let right = 0;
  let wrong = 0;
  for (const m of text.matchAll(STATEMENT)) {
    const lhs = m[1].trim();
    // Unbalanced parentheses at the edges are prose, not part of the expression.
    const open = (lhs.match(/\(/g) ?? []).length;
    const close = (lhs.match(/\)/g) ?? []).length;
    const expr = open > close ? lhs.replace(/^[(\s]+/, '') : close > open ? lhs.replace(/[)\s]+$/, '') : lhs;
    const v = evaluate(expr);
    if (v === null) continue;
    const stated = num(m[2]);
    if (!Number.isFinite(stated)) continue;
    // A stated result rounded to its own decimals counts as right.
    const tol = Math.max(0.5 * 10 ** -decimals(m[2]), 1e-6 * Math.abs(v)) + 1e-9;
    if (Math.abs(v - stated) <= tol || (m[2].endsWith('%') && Math.abs(v * 100 - stated) <= tol)) right += 1;
    else wrong += 1;
  }
  return { right, wrong };
}
