"""Evidence for the forecasting chapter (issue 25), the planned 07_forecasting.ipynb as a script.

Airline (log scale, windows centred on their last value; train 1949-56, conformal calibration
1957-58, test origins 1959-60, H=12, 90% intervals) and M1 yearly (global GRU, H=6, 90%
intervals, MASE/MSIS per series, paired tests over series). Run: S=<seed> python tools/forecast_evidence.py
"""

# ruff: noqa
import os, sys, time

T0 = time.time()
import numpy as np, torch
from course_utils import seed_everything

SEED = seed_everything(int(os.environ.get("S", 0)))
from course_utils.data import (
    load_airline,
    many_series_windows,
    baseline_forecasts,
    baseline_residuals,
    bootstrap_paths,
    load_m1_yearly,
    M1_YEARLY_HORIZON,
)
from course_utils.models import Forecaster, QuantileForecaster, GaussianForecaster
from course_utils.training import fit, predict_forecast, fit_seeds
from course_utils.forecast import (
    recursive_forecast,
    conformal_intervals,
    conformal_samples,
    gaussian_quantiles,
    ets_forecast,
    theta_forecast,
    forecast_scores,
)
from course_utils import metrics as M

tm = {}


def tick(k, t=[time.time()]):
    now = time.time()
    tm[k] = round(now - t[0], 2)
    t[0] = now


y = load_airline()
log_y = np.log(y)
H, W = 12, 24
train_end, test_start = 96, 120
scale = np.mean(np.abs(np.diff(log_y[:train_end])))
test_o = np.arange(test_start, len(y) - H + 1)
cal_o = np.arange(train_end, test_start - H + 1)


def at(origins):
    return many_series_windows(
        [log_y[:o] for o in origins], window=W, scales=[scale] * len(origins)
    )


test, cal = at(test_o), at(cal_o)
Yt = np.stack([y[o : o + H] for o in test_o])
Yc = np.stack([y[o : o + H] for o in cal_o])
units = lambda w, Y: (np.log(Y) - w["anchor"][:, None]) / scale


def back(w, f):
    """Scaled, centred log units -> passengers (any trailing axes)."""
    f = np.asarray(f)
    anchor = w["anchor"].reshape(-1, *[1] * (f.ndim - 1))
    return np.exp(anchor + scale * f)


tr1 = many_series_windows([log_y[:train_end]], window=W, horizon=1, scales=[scale], min_length=W)
trH = many_series_windows([log_y[:train_end]], window=W, horizon=H, scales=[scale], min_length=W)
cfg = dict(epochs=100, lr=1e-2, batch_size=128, progress=False)
one = Forecaster(1, 32, horizon=1, seed=SEED)
fit(one, (tr1["x"], tr1["lengths"], tr1["y"]), seed=SEED, **cfg)
tick("fit one")
direct = Forecaster(1, 32, horizon=H, seed=SEED)
fit(direct, (trH["x"], trH["lengths"], trH["y"]), seed=SEED, **cfg)
tick("fit direct")
LEVELS = tuple((np.arange(10) + 0.5) / 10)
quant = QuantileForecaster(1, 32, horizon=H, quantiles=LEVELS, seed=SEED)
fit(quant, (trH["x"], trH["lengths"], trH["y"]), seed=SEED, **cfg)
tick("fit quant")
gauss = GaussianForecaster(1, 32, horizon=H, seed=SEED)
fit(gauss, (trH["x"], trH["lengths"], trH["y"]), seed=SEED, **cfg)
tick("fit gauss")
rec = back(test, recursive_forecast(one, test["x"], H, lengths=test["lengths"], centred=True))
tf = back(
    test,
    recursive_forecast(
        one, test["x"], H, lengths=test["lengths"], centred=True, truth=units(test, Yt)
    ),
)
dirf = back(test, predict_forecast(direct, test["x"], test["lengths"]))
raw_windows = lambda origins: np.stack([y[o - W : o] for o in origins])
sdiff = baseline_forecasts(raw_windows(test_o), H, method="seasonal difference", season=12)
snaive = baseline_forecasts(raw_windows(test_o), H, method="seasonal naive", season=12)
ets_fit = ets_forecast(y[:train_end], H, log=True, trend="add", seasonal="add", seasonal_periods=12)
ets = [
    ets_forecast(
        y[:o],
        H,
        log=True,
        trend="add",
        seasonal="add",
        seasonal_periods=12,
        params=ets_fit["params"],
    )
    for o in test_o
]
ets = {k: np.stack([e[k] for e in ets]) for k in ("point", "lower", "upper", "samples")}
tick("forecasts+ets")
pt = {
    "recursive GRU": rec,
    "teacher-forced GRU": tf,
    "direct GRU": dirf,
    "seasonal difference": sdiff,
    "seasonal naive": snaive,
    "ETS": ets["point"],
}
for k, f in pt.items():
    print(
        "AIR",
        f"{k:22s}",
        round(M.mean_absolute_error(Yt, f), 1),
        np.round(M.mean_absolute_error(Yt, f, multioutput="raw_values")[[0, 2, 5, 8, 11]], 1),
    )
# intervals
q = predict_forecast(quant, test["x"], test["lengths"])
qb = back(test, q)
intervals = {}
intervals["quantile GRU"] = {
    "lower": qb[..., 0],
    "upper": qb[..., -1],
    "point": np.sqrt(qb[..., 4] * qb[..., 5]),
    "samples": qb,
}
g = predict_forecast(gauss, test["x"], test["lengths"])
ends = gaussian_quantiles(g[..., 0], g[..., 1], [0.05, 0.95])
grid = gaussian_quantiles(g[..., 0], g[..., 1], LEVELS if False else (np.arange(100) + 0.5) / 100)
intervals["Gaussian GRU"] = {
    "lower": back(test, ends[..., 0]),
    "upper": back(test, ends[..., 1]),
    "point": back(test, g[..., 0]),
    "samples": back(test, grid),
}
pc = predict_forecast(direct, cal["x"], cal["lengths"])
pt_ = predict_forecast(direct, test["x"], test["lengths"])
lo, up = conformal_intervals(units(cal, Yc), pc, pt_, alpha=0.1)
intervals["conformal GRU"] = {
    "lower": back(test, lo),
    "upper": back(test, up),
    "point": dirf,
    "samples": back(test, conformal_samples(units(cal, Yc), pc, pt_)),
}
for name, meth in [
    ("seasonal naive", "seasonal naive"),
    ("seasonal difference", "seasonal difference"),
]:
    res = baseline_residuals(y[:train_end], method=meth, season=12)
    paths = bootstrap_paths(
        raw_windows(test_o), H, method=meth, season=12, residuals=res, n_paths=1000, seed=SEED
    )
    intervals[name + " + bootstrap"] = {
        "lower": np.quantile(paths, 0.05, axis=-1),
        "upper": np.quantile(paths, 0.95, axis=-1),
        "point": baseline_forecasts(raw_windows(test_o), H, method=meth, season=12),
        "samples": paths,
    }
intervals["ETS"] = ets
tick("intervals")
for k, f in intervals.items():
    s = forecast_scores(Yt, f, alpha=0.1)
    cov_h = M.interval_coverage(Yt, f["lower"], f["upper"], multioutput="raw_values")
    print(
        "INT",
        f"{k:28s}",
        {a: round(b, 3) for a, b in s.items()},
        "cov h",
        np.round(cov_h[[0, 5, 11]], 2),
    )
tick("scores")
# M1
S = load_m1_yearly()
h = M1_YEARLY_HORIZON
trainp = [s[: -2 * h] for s in S]
sc = np.array([np.mean(np.abs(np.diff(s[:-h]))) for s in S])  # scale from all pre-test history
wtr = many_series_windows(trainp, window=12, horizon=h, scales=sc)
wcal = many_series_windows(trainp, window=12, scales=sc)
wte = many_series_windows([s[:-h] for s in S], window=12, scales=sc)
Ycal = np.stack([s[-2 * h : -h] for s in S])
Yte = np.stack([s[-h:] for s in S])
tick("m1 prep")
runs = fit_seeds(
    lambda: Forecaster(1, 32, horizon=h),
    (wtr["x"], wtr["lengths"], wtr["y"]),
    seeds=[SEED, SEED + 1, SEED + 2],
    n_jobs=-1,
    epochs=20,
    lr=1e-2,
    batch_size=256,
    progress=False,
)
tick("m1 fit 3 seeds")


def m1(model):
    pc = predict_forecast(model, wcal["x"], wcal["lengths"])
    pt = predict_forecast(model, wte["x"], wte["lengths"])
    ucal = (Ycal - wcal["anchor"][:, None]) / wcal["scale"][:, None]
    lo, up = conformal_intervals(ucal, pc, pt, alpha=0.1)
    b = lambda f: wte["anchor"][:, None] + wte["scale"][:, None] * f
    return {"point": b(pt), "lower": b(lo), "upper": b(up)}


gru = [m1(m) for m, _ in runs]
riv = {}
for meth in ["naive", "drift"]:
    P, L, U = [], [], []
    for i, s in enumerate(S):
        hist = s[:-h]
        p = baseline_forecasts(hist, h, method=meth)
        paths = bootstrap_paths(hist, h, method=meth, n_paths=1000, seed=SEED)
        P.append(p)
        L.append(np.quantile(paths, 0.05, -1))
        U.append(np.quantile(paths, 0.95, -1))
    riv[meth] = {"point": np.array(P), "lower": np.array(L), "upper": np.array(U)}
th = [theta_forecast(s[:-h], h, alpha=0.1) for s in S]
riv["Theta"] = {k: np.stack([t[k] for t in th]) for k in ("point", "lower", "upper")}
tick("m1 rivals")


def per_series(f):
    mase = np.array(
        [
            M.mean_absolute_scaled_error(Yte[i], f["point"][i], y_train=S[i][:-h])
            for i in range(len(S))
        ]
    )
    msis = np.array(
        [
            M.mean_scaled_interval_score(
                Yte[i], f["lower"][i], f["upper"][i], alpha=0.1, y_train=S[i][:-h]
            )
            for i in range(len(S))
        ]
    )
    cov = M.interval_coverage(Yte, f["lower"], f["upper"])
    return mase, msis, cov


res = {f"GRU seed {k}": per_series(g) for k, g in enumerate(gru)} | {
    k: per_series(f) for k, f in riv.items()
}
for k, (a, b, c) in res.items():
    print(f"M1 {k:12s} MASE {a.mean():.3f} MSIS {b.mean():.2f} cov {c:.3f}")
from scipy.stats import wilcoxon

g0 = res["GRU seed 0"]
for r in ["naive", "drift", "Theta"]:
    d = g0[0] - res[r][0]
    print(
        "M1CMP GRU-",
        r,
        "mean diff",
        round(d.mean(), 3),
        "median",
        round(np.median(d), 3),
        "wins",
        int((d < 0).sum()),
        "/181 wilcoxon p",
        wilcoxon(d).pvalue,
    )
    ci = M.bootstrap_ci(
        lambda a, b: float(np.mean(a - b)), g0[0], res[r][0], n_resamples=2000, seed=0
    )
    print("   boot CI", round(ci.low, 3), round(ci.high, 3))
tick("m1 scores")
print(tm, "TOTAL", round(time.time() - T0, 1))
