"""Forms of the web portal: they parse input; services decide what is allowed."""
