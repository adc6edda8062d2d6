"""Report writers (CSV, XLSX) and report rows, built on the domain apps' selectors."""
