package world

import "strings"

// Role is an IAM role (aws:iam/role:Role). IAM is global: roles are not
// per region.
type Role struct {
	Name     string `json:"name"`
	Path     string `json:"path"` // default "/"
	ARN      string `json:"arn"`  // arn:aws:iam::123456789012:role<path><name>
	UniqueID string `json:"uniqueId"`
	// AssumeRolePolicy is the trust policy as sent to IAM (normalised JSON).
	AssumeRolePolicy    string            `json:"assumeRolePolicy"`
	Description         string            `json:"description"`
	MaxSessionDuration  int               `json:"maxSessionDuration"` // default 3600
	PermissionsBoundary string            `json:"permissionsBoundary"`
	Tags                map[string]string `json:"tags"`
	CreateDate          string            `json:"createDate"`
}

// RoleUniqueID stands in for the RoleId IAM assigns ("AROA" + 17
// characters): derived from the name, so that it is stable across runs.
func RoleUniqueID(name string) string {
	return "AROA" + strings.ToUpper(stableID("role/"+name, 17))
}

func (r *Role) complete(name string) {
	r.Name = or(r.Name, name)
	r.Path = or(r.Path, "/")
	r.ARN = or(r.ARN, "arn:"+Partition+":iam::"+Account+":role"+r.Path+r.Name)
	r.UniqueID = or(r.UniqueID, RoleUniqueID(r.Name))
	r.CreateDate = or(r.CreateDate, CreateDate)
	if r.MaxSessionDuration == 0 {
		r.MaxSessionDuration = 3600
	}
	if r.Tags == nil {
		r.Tags = map[string]string{}
	}
}
