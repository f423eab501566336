package database

// Validate reports every problem of args for a database called name (the
// name NewDatabase will get), as NewDatabase would, without registering
// anything: a program can check all its components before it creates the
// first one.
func (args *DatabaseArgs) Validate(name string) error {
	_, err := args.validate(name)
	return err
}
