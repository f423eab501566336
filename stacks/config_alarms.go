package stacks

// AlarmsConfig is `hawebtier:aws.alarms`: where CloudWatch alarms notify.
// aws/alarms checks the address (AlarmsArgs.Email).
type AlarmsConfig struct {
	Email string `json:"email"`
}
