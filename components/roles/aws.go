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
)

// appSecrets adds the boot-time fetch of the app's secrets: a script run
// by a oneshot unit that Tomcat requires, so the secrets are fetched again
// at every boot (the RDS-managed password rotates) and Tomcat never starts
// without them. User-data holds ARNs and endpoints only.
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
    chgrp tomcat "$dir/.$1.tmp"
    mv -f "$dir/.$1.tmp" "$dir/$1"
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

	props := fmt.Sprintf(`# Rendered by hawebtier (components/roles). Where the app finds its data.
# The secret values are in the files named here, fetched at boot.
aws.region=%s
db.endpoint=%s
db.secret.arn=%s
db.secret.file=%s/database.json
`, s.Region, s.DatabaseEndpoint, s.DatabaseSecretARN, SecretsDir)
	if s.CacheSecretARN != "" {
		props += fmt.Sprintf("cache.endpoint=%s\ncache.secret.arn=%s\ncache.secret.file=%s/cache.json\n", s.CacheEndpoint, s.CacheSecretARN, SecretsDir)
	}

	p.add(secretsUnit, Managed{File: root(fetchScriptPath, b.String(), "0755"), Check: "sh -n {path}"})
	p.add(secretsUnit, Managed{File: root("/etc/systemd/system/"+secretsUnit+".service", unit, "0644"), Reload: "systemctl daemon-reload"})
	p.add("tomcat10", Managed{File: cloudinit.File{Path: AppPropertiesPath, Content: props, Permissions: "0644", Owner: "root:root"}, Reload: "systemctl restart tomcat10"})
	p.packages = append(p.packages, "awscli")
	p.services = append(p.services, secretsUnit)
	return nil
}
