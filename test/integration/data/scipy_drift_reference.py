# Reads cases as JSON on stdin, answers with scipy's values as JSON on stdout: the reference the
# drift tests' p-values are checked against.
import json
import sys

import numpy as np
import scipy
from scipy import stats

cases = json.load(sys.stdin)
out = {"scipy": scipy.__version__, "ks": [], "chi": [], "chi2sf": [], "kolmogorov": []}
for a, b in cases["ks"]:
    r = stats.ks_2samp(np.array(a, dtype=float), np.array(b, dtype=float), method="exact")
    out["ks"].append({"statistic": float(r.statistic), "pvalue": float(r.pvalue)})
for ref, cur in cases["chi"]:
    stat, p, dof, _ = stats.chi2_contingency(np.array([ref, cur], dtype=float), correction=False)
    out["chi"].append({"statistic": float(stat), "pvalue": float(p), "dof": int(dof)})
for x, df in cases["chi2sf"]:
    out["chi2sf"].append(float(stats.chi2.sf(x, df)))
for z in cases["kolmogorov"]:
    out["kolmogorov"].append(float(stats.kstwobign.sf(z)))
json.dump(out, sys.stdout)
