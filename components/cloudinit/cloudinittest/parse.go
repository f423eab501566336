package cloudinittest

import (
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hawebtier/hawebtier/components/cloudinit"
)

// Parse reads a document written by cloudinit.Render back into UserData
// (sysctl settings come back as a file at cloudinit.SysctlPath and their
// command in RunCmd), for tests that inspect rendered user-data. It reads
// the keys cloud-init reads, by their cloud-config names, so a test of
// Render through Parse checks the document, not Render's own structs.
func Parse(doc string) (cloudinit.UserData, error) {
	if !strings.HasPrefix(doc, cloudinit.Header) {
		return cloudinit.UserData{}, errors.New("cloudinittest: not a cloud-config document: the first line must be #cloud-config")
	}
	var cc struct {
		Hostname   string      `yaml:"hostname"`
		FQDN       string      `yaml:"fqdn"`
		SSHKeys    []string    `yaml:"ssh_authorized_keys"`
		Users      []yaml.Node `yaml:"users"`
		Packages   []string    `yaml:"packages"`
		WriteFiles []struct {
			Path        string `yaml:"path"`
			Owner       string `yaml:"owner"`
			Permissions string `yaml:"permissions"`
			Content     string `yaml:"content"`
		} `yaml:"write_files"`
		RunCmd [][]string `yaml:"runcmd"`
	}
	if err := yaml.Unmarshal([]byte(doc), &cc); err != nil {
		return cloudinit.UserData{}, fmt.Errorf("cloudinittest: parse: %w", err)
	}
	u := cloudinit.UserData{Hostname: cc.Hostname, FQDN: cc.FQDN, Packages: cc.Packages, RunCmd: cc.RunCmd, RootSSHAuthorizedKeys: cc.SSHKeys}
	for _, f := range cc.WriteFiles {
		u.Files = append(u.Files, cloudinit.File{Path: f.Path, Content: f.Content, Permissions: f.Permissions, Owner: f.Owner})
	}
	for i, n := range cc.Users {
		if n.Kind == yaml.ScalarNode { // "default"
			continue
		}
		var yu struct {
			Name              string   `yaml:"name"`
			Gecos             string   `yaml:"gecos"`
			System            bool     `yaml:"system"`
			Shell             string   `yaml:"shell"`
			Groups            string   `yaml:"groups"`
			Sudo              string   `yaml:"sudo"`
			SSHAuthorizedKeys []string `yaml:"ssh_authorized_keys"`
		}
		if err := n.Decode(&yu); err != nil {
			return cloudinit.UserData{}, fmt.Errorf("cloudinittest: parse users[%d]: %w", i, err)
		}
		usr := cloudinit.User{Name: yu.Name, Gecos: yu.Gecos, System: yu.System, Shell: yu.Shell, Sudo: yu.Sudo, SSHAuthorizedKeys: yu.SSHAuthorizedKeys}
		if yu.Groups != "" {
			usr.Groups = strings.Split(yu.Groups, ",")
		}
		u.Users = append(u.Users, usr)
	}
	return u, nil
}
