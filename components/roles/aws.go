package roles

import (
	"fmt"
	"strings"

	"github.com/hawebtier/hawebtier/components/cloudinit"
)

// Where the AWS app servers keep what they fetch at boot.
const (
	SecretsDir        = "/etc/hawebtier/secrets" // 0750 root:tomcat; files 0640
	AppPropertiesPath = "/etc/hawebtier/app.properties"
	fetchScriptPath   = "/usr/local/sbin/hawebtier-fetch-secrets"
	secretsUnit       = "hawebtier-app-secrets"
	// refreshUnit fetches the secrets again on a timer: the RDS-managed
	// master password rotates (every 7 days by default; RDS User Guide,
	// "Password management with Amazon RDS and AWS Secrets Manager"), and
	// an app that read it at boot alone would fail every new connection
	// until the next reboot. A separate unit, since a timer does not start
	// a oneshot again that stays active (RemainAfterExit).
	refreshUnit = "hawebtier-app-secrets-refresh"
	// SecretsRefreshSeconds is how often the app servers fetch their
	// secrets again; a file changes only when its secret did.
	SecretsRefreshSeconds = 300
)

// appSecrets adds the fetch of the app's secrets: a script run by a
// oneshot unit that Tomcat requires, so Tomcat never starts without them,
// and again every SecretsRefreshSeconds by a timer, so a rotated password
// reaches the files within that time (the app reads the file again when a
// login fails: app.properties says so). User-data holds ARNs and endpoints
// only.
func (p *plan) appSecrets(s AppSecrets) error {
	var b strings.Builder
	fmt.Fprintf(&b, `#!/bin/sh
# Rendered by hawebtier (components/roles). Fetches the app's secrets from
# AWS Secrets Manager with the instance profile, at every boot, before
# Tomcat starts. Only ARNs are written here; the values go to %s.
set -eu
umask 027
dir=%s
install -d -m 0750 -o root -g tomcat "$dir"
fetch() { # file arn
    i=0
    until aws secretsmanager get-secret-value --region %s --secret-id "$2" \
            --query SecretString --output text >"$dir/.$1.tmp"; do
        i=$((i + 1))
        if [ "$i" -ge 10 ]; then
            rm -f "$dir/.$1.tmp"
            echo "hawebtier: could not fetch $2 after $i attempts" >&2
            return 1
        fi
        sleep $((i * 3))
    done
    if cmp -s "$dir/.$1.tmp" "$dir/$1"; then
        rm -f "$dir/.$1.tmp" # unchanged: leave the file the app reads alone
        return 0
    fi
    chgrp tomcat "$dir/.$1.tmp"
    mv -f "$dir/.$1.tmp" "$dir/$1"
    echo "hawebtier: $1 updated from $2"
}
fetch database.json '%s'
`, SecretsDir, SecretsDir, s.Region, s.DatabaseSecretARN)
	if s.CacheSecretARN != "" {
		fmt.Fprintf(&b, "fetch cache.json '%s'\n", s.CacheSecretARN)
	}

	unit := fmt.Sprintf(`# Rendered by hawebtier (components/roles).
[Unit]
Description=Fetch the app's secrets from AWS Secrets Manager
Wants=network-online.target
After=network-online.target
Before=tomcat10.service

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=%s

[Install]
WantedBy=multi-user.target
RequiredBy=tomcat10.service
`, fetchScriptPath)

	refreshService := fmt.Sprintf(`# Rendered by hawebtier (components/roles).
[Unit]
Description=Fetch the app's secrets again (a rotated password reaches the files)
Wants=network-online.target
After=network-online.target %s.service

[Service]
Type=oneshot
ExecStart=%s
`, secretsUnit, fetchScriptPath)
	refreshTimer := fmt.Sprintf(`# Rendered by hawebtier (components/roles).
[Unit]
Description=Fetch the app's secrets every %d seconds

[Timer]
OnActiveSec=%ds
OnUnitActiveSec=%ds
RandomizedDelaySec=30

[Install]
WantedBy=timers.target
`, SecretsRefreshSeconds, SecretsRefreshSeconds, SecretsRefreshSeconds)

	props := fmt.Sprintf(`# Rendered by hawebtier (components/roles). Where the app finds its data.
# The secret values are in the files named here, fetched at boot and again
# every %d seconds: the database password rotates, so read db.secret.file
# again (and retry) when a database login fails.
aws.region=%s
db.endpoint=%s
db.secret.arn=%s
db.secret.file=%s/database.json
db.secret.refresh.seconds=%d
`, SecretsRefreshSeconds, s.Region, s.DatabaseEndpoint, s.DatabaseSecretARN, SecretsDir, SecretsRefreshSeconds)
	if s.CacheSecretARN != "" {
		props += fmt.Sprintf("cache.endpoint=%s\ncache.secret.arn=%s\ncache.secret.file=%s/cache.json\n", s.CacheEndpoint, s.CacheSecretARN, SecretsDir)
	}

	p.add(secretsUnit, Managed{File: root(fetchScriptPath, b.String(), "0755"), Check: "sh -n {path}"})
	p.add(secretsUnit, Managed{File: root("/etc/systemd/system/"+secretsUnit+".service", unit, "0644"), Reload: "systemctl daemon-reload"})
	p.add(refreshUnit, Managed{File: root("/etc/systemd/system/"+refreshUnit+".service", refreshService, "0644"), Reload: "systemctl daemon-reload"})
	p.add(refreshUnit, Managed{File: root("/etc/systemd/system/"+refreshUnit+".timer", refreshTimer, "0644"), Reload: "systemctl daemon-reload"})
	p.add("tomcat10", Managed{File: cloudinit.File{Path: AppPropertiesPath, Content: props, Permissions: "0644", Owner: "root:root"}, Reload: "systemctl restart tomcat10"})
	p.packages = append(p.packages, "awscli")
	p.services = append(p.services, secretsUnit, refreshUnit+".timer")
	return nil
}
