package database

// Validate reports every problem of args, as NewDatabase would, without
// registering anything: a program can check all its components before it
// creates the first one.
func (args *DatabaseArgs) Validate() error {
	_, err := args.validate()
	return err
}
