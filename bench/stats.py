"""Summary statistics of repeated timings."""
import statistics


def summarize(samples: list[float]) -> dict:
    """median, mean, standard deviation (0 for a single sample), min and max, in seconds."""
    if not samples:
        return {"runs": 0, "median_s": None, "mean_s": None, "stdev_s": None,
                "min_s": None, "max_s": None}
    return {
        "runs": len(samples),
        "median_s": statistics.median(samples),
        "mean_s": statistics.fmean(samples),
        "stdev_s": statistics.stdev(samples) if len(samples) > 1 else 0.0,
        "min_s": min(samples),
        "max_s": max(samples),
    }
