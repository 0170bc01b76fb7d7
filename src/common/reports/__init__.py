"""The consolidated report of step 6: charts of curated and warehouse data as PNGs and one page."""
