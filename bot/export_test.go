package bot

// NeedsStore reports whether the command keeps or reads state in the data
// file, for tests outside the package.
func NeedsStore(name string) bool { return index(commandTable())[name].store }
