package world

// Region holds the regional resources of the fake account.
type Region struct {
	// Repositories by repository name, with the policies attached to them.
	Repositories map[string]*Repository `json:"repositories,omitempty"`

	// Registry-wide ECR settings; nil when never set.
	ReplicationConfiguration      *ReplicationConfiguration      `json:"replicationConfiguration,omitempty"`
	RegistryPolicy                *RegistryPolicy                `json:"registryPolicy,omitempty"`
	RegistryScanningConfiguration *RegistryScanningConfiguration `json:"registryScanningConfiguration,omitempty"`
	// By ecrRepositoryPrefix / prefix.
	PullThroughCacheRules       map[string]*PullThroughCacheRule       `json:"pullThroughCacheRules,omitempty"`
	RepositoryCreationTemplates map[string]*RepositoryCreationTemplate `json:"repositoryCreationTemplates,omitempty"`

	Secrets    map[string]*Secret    `json:"secrets,omitempty"`    // by name
	Parameters map[string]*Parameter `json:"parameters,omitempty"` // SSM, by name
	Keys       map[string]*Key       `json:"keys,omitempty"`       // KMS, by key ID
	Aliases    map[string]*Alias     `json:"aliases,omitempty"`    // KMS, by alias name

	LogGroups           map[string]*LogGroup          `json:"logGroups,omitempty"`           // by name
	LogResourcePolicies map[string]*LogResourcePolicy `json:"logResourcePolicies,omitempty"` // by policy name
	EventRules          map[string]*EventRule         `json:"eventRules,omitempty"`          // by name, or <bus>/<name>
	EventTargets        map[string]*EventTarget       `json:"eventTargets,omitempty"`        // by [<bus>-]<rule>-<target ID>
	MetricAlarms        map[string]*MetricAlarm       `json:"metricAlarms,omitempty"`        // by name
	Topics              map[string]*Topic             `json:"topics,omitempty"`              // SNS, by name
	Subscriptions       map[string]*TopicSubscription `json:"subscriptions,omitempty"`       // SNS, by subscription ARN
}

func (r *Region) init() {
	initMap(&r.Repositories)
	initMap(&r.PullThroughCacheRules)
	initMap(&r.RepositoryCreationTemplates)
	initMap(&r.Secrets)
	initMap(&r.Parameters)
	initMap(&r.Keys)
	initMap(&r.Aliases)
	initMap(&r.LogGroups)
	initMap(&r.LogResourcePolicies)
	initMap(&r.EventRules)
	initMap(&r.EventTargets)
	initMap(&r.MetricAlarms)
	initMap(&r.Topics)
	initMap(&r.Subscriptions)
}

func initMap[V any](m *map[string]V) {
	if *m == nil {
		*m = map[string]V{}
	}
}

// complete fills in what AWS derives; see World.Complete.
func (r *Region) complete(region string) {
	for name, repo := range r.Repositories {
		repo.complete(region, name)
	}
	if c := r.ReplicationConfiguration; c != nil {
		c.RegistryID = or(c.RegistryID, Account)
	}
	if p := r.RegistryPolicy; p != nil {
		p.RegistryID = or(p.RegistryID, Account)
	}
	if s := r.RegistryScanningConfiguration; s != nil {
		s.RegistryID, s.ScanType = or(s.RegistryID, Account), or(s.ScanType, "BASIC")
	}
	for prefix, rule := range r.PullThroughCacheRules {
		rule.EcrRepositoryPrefix, rule.RegistryID = or(rule.EcrRepositoryPrefix, prefix), or(rule.RegistryID, Account)
	}
	for prefix, t := range r.RepositoryCreationTemplates {
		t.Prefix, t.RegistryID = or(t.Prefix, prefix), or(t.RegistryID, Account)
		t.ImageTagMutability = or(t.ImageTagMutability, "MUTABLE")
		if len(t.EncryptionConfigurations) == 0 {
			t.EncryptionConfigurations = []EncryptionSetting{{EncryptionType: "AES256"}}
		}
	}
	for name, s := range r.Secrets {
		s.complete(region, name)
	}
	for name, p := range r.Parameters {
		p.complete(region, name)
	}
	for id, k := range r.Keys {
		k.complete(region, id)
	}
	for name, a := range r.Aliases {
		a.Name = or(a.Name, name)
		a.ARN = or(a.ARN, RegionARN("kms", region, a.Name))
		if key := r.Key(a.TargetKeyID); key != nil {
			a.TargetKeyARN = key.ARN
		}
	}
	r.completeMonitoring(region)
}
