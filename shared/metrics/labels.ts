// Class labels arrive as strings (read from CSV/JSON); their order decides the confusion matrix
// layout and the default positive class, so it must match what scikit-learn does with the same column.

const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Compares two strings by Unicode code point, as Python and NumPy compare str (JS `<` compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/**
 * Returns the distinct labels in scikit-learn's order: numerically when every label is a number
 * (as pandas would read the column, so "9" < "10"), otherwise by code point ("Adelie" < "Gentoo" < "adelie").
 */
export function sortLabels(labels: Iterable<string>): string[] {
  const distinct = [...new Set(labels)];
  if (distinct.length > 0 && distinct.every((label) => NUMBER_PATTERN.test(label))) {
    return distinct.sort((a, b) => Number(a) - Number(b) || compareCodePoints(a, b));
  }
  return distinct.sort(compareCodePoints);
}

/**
 * Returns the positive class of a binary problem: the greater of the two labels in scikit-learn's
 * order, as `roc_auc_score` and `LabelBinarizer` take it. The usual encodings all come out right:
 * "1" over "0", "true" over "false", "yes" over "no", "positive" over "negative".
 */
export function defaultPositiveClass(sortedClasses: readonly string[]): string | undefined {
  return sortedClasses[sortedClasses.length - 1];
}
