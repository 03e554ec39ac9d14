"""The build: validate the data, run the chapters that changed (papermill in warm kernels), build the book
with Sphinx, check the site and publish it in one step; and the analyst's re-runs."""
