package roles

import (
	"fmt"

	"github.com/hawebtier/hawebtier/components/cloudinit"
)

// UserData returns the #cloud-config a node of role boots with (index as
// in Files): the role's packages, users and files, the boot commands (the
// load balancers' sysctl), then its services enabled and restarted. It
// never holds a secret: t.AJPSecret is ignored, and the files Files marks
// Secret are left out; the services they configure are enabled but not
// restarted, so they keep the package defaults until the day-2 step
// delivers those files. With t.MembersOverDay2 the files that list the
// tier's members are left out the same way, so the document does not grow
// with the tier. The result fits the target's limit (UserDataLimit) or is
// an error.
func UserData(t Topology, role string, index int) (string, error) {
	r, err := NewTier(t)
	if err != nil {
		return "", err
	}
	return r.UserData(role, index)
}

// userData renders the document of one assembled node.
func userData(t Topology, p *plan, role string, index int, render *cloudinit.Renderer) (string, error) {

	u := cloudinit.UserData{Packages: p.packages, Users: p.users}
	if !t.OnAWS() {
		n := t.Nodes(role)[index]
		u.Hostname, u.FQDN = n.Name, n.Name+"."+t.Domain
	}
	withheld := map[string]bool{}
	for _, m := range p.files {
		if m.Secret || (m.Members && t.MembersOverDay2 && !t.OnAWS()) {
			withheld[p.service[m.Path]] = true
			continue
		}
		u.Files = append(u.Files, m.File)
	}
	u.RunCmd = append(u.RunCmd, p.bootCmds...)
	if len(p.services) > 0 {
		u.RunCmd = append(u.RunCmd,
			[]string{"systemctl", "daemon-reload"},
			append([]string{"systemctl", "enable"}, p.services...))
		for _, s := range p.services {
			if !withheld[s] {
				u.RunCmd = append(u.RunCmd, []string{"systemctl", "restart", s})
			}
		}
	}
	if len(t.SSHAuthorizedKeys) > 0 {
		if t.SSHUser == "root" {
			u.RootSSHAuthorizedKeys = t.SSHAuthorizedKeys
		} else {
			u.Users = append(u.Users, cloudinit.User{
				Name: t.SSHUser, Gecos: "hawebtier day-2 configuration", Shell: "/bin/bash",
				Sudo: "ALL=(ALL) NOPASSWD:ALL", SSHAuthorizedKeys: t.SSHAuthorizedKeys,
			})
		}
	}
	doc, err := render.Render(u)
	if err != nil {
		return "", fmt.Errorf("roles: %s[%d]: %w", role, index, err)
	}
	if err := t.UserDataLimit().Check(fmt.Sprintf("the user-data of %s[%d]", role, index), doc); err != nil {
		if !t.OnAWS() && !t.MembersOverDay2 {
			err = fmt.Errorf("%w; deliver the member lists over day 2 (MembersOverDay2) so user-data stops growing with the tier", err)
		}
		return "", fmt.Errorf("roles: %s[%d]: %w", role, index, err)
	}
	return doc, nil
}

// UserDataLimit is the limit of t's target on one node's user-data: EC2's
// on AWS, a guestinfo value's on vSphere.
func (t Topology) UserDataLimit() cloudinit.Limit {
	if t.OnAWS() {
		return cloudinit.AWSUserData
	}
	return cloudinit.VSphereGuestinfo
}
