package stacks

import "strings"

// AlarmsConfig is `hawebtier:aws.alarms`: where CloudWatch alarms notify.
type AlarmsConfig struct {
	Email string `json:"email"`
}

func (a *AlarmsConfig) validate(c *Config, ps *problems) {
	if a.Email != "" && !strings.Contains(a.Email, "@") {
		ps.add(key("aws.alarms.email"), "expected an email address, got %q", a.Email)
	}
}
