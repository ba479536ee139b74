//! Marathon versions pkwc targets, and the one table of features that need a minimum version.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

/// A Marathon release, `MAJOR.MINOR[.PATCH]`. A version written without its patch level is compared as
/// `.0` (`1.4` is 1.4.0), and says so when a feature needs a later patch of the same release.
#[derive(Clone, Copy, Debug)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
    pub patch: Option<u32>,
}

impl Version {
    pub const OLDEST: Version = Version::new(0, 8);
    pub const NEWEST: Version = Version::new(1, 10);
    /// The networking-API rewrite: `networks`, `container.portMappings`, RAML-read app JSON.
    pub const NETWORKS_API: Version = Version::new(1, 5);
    /// Marathon 1.0: `portDefinitions` replace the `ports` list (the 1.x legacy dialect).
    pub const PORT_DEFINITIONS: Version = Version::new(1, 0);
    /// `fetch[].destPath`, spelled `outputFile` from 1.3.0 to 1.4.5.
    pub const DEST_PATH: Version = Version::with_patch(1, 4, 6);

    pub const fn new(major: u32, minor: u32) -> Version {
        Version { major, minor, patch: None }
    }

    pub const fn with_patch(major: u32, minor: u32, patch: u32) -> Version {
        Version { major, minor, patch: Some(patch) }
    }

    fn key(self) -> (u32, u32, u32) {
        (self.major, self.minor, self.patch.unwrap_or(0))
    }

    /// Parses `1.10`, `0.8` or `0.8.2`.
    pub fn parse(text: &str) -> Result<Version, String> {
        let parts: Vec<&str> = text.trim().split('.').collect();
        let num = |s: &str| (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u32>().ok())?;
        let numbers: Option<Vec<u32>> = parts.iter().map(|p| num(p)).collect();
        let v = match numbers.as_deref() {
            Some(&[major, minor]) => Version::new(major, minor),
            Some(&[major, minor, patch]) => Version::with_patch(major, minor, patch),
            _ => return Err(Self::unsupported(text)),
        };
        let known = (v.major == 0 && (8..=16).contains(&v.minor)) || (v.major == 1 && v.minor <= 10);
        if known {
            Ok(v)
        } else {
            Err(Self::unsupported(text))
        }
    }

    fn unsupported(text: &str) -> String {
        format!(
            "unsupported Marathon version `{text}`: pkwc supports 0.8 to 0.16 and 1.0 to 1.10, optionally with a \
             patch level (for example `--marathon 0.8.2`, `--marathon 1.4.13` or `--marathon 1.10`)"
        )
    }

    /// The legacy network dialect (`container.docker.network`, `docker.portMappings`) is used before 1.5.
    pub fn is_legacy(self) -> bool {
        self < Self::NETWORKS_API
    }

    /// Whether `self` names `other`'s release without a patch level (`1.4` against 1.4.6).
    pub fn same_release_unpatched(self, other: Version) -> bool {
        self.patch.is_none() && (self.major, self.minor) == (other.major, other.minor)
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Version {}

impl Hash for Version {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key().hash(state)
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.patch {
            Some(p) => write!(f, "{}.{}.{p}", self.major, self.minor),
            None => write!(f, "{}.{}", self.major, self.minor),
        }
    }
}

/// Features that need a minimum Marathon version, with the evidence-backed first version
/// (Marathon's source at each release tag; see `docs/marathon-versions.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Feature {
    Fetch,
    FetchDest,
    MaxPer,
    Is,
    UdpTcp,
    MesosHealthChecks,
    HttpsHealthChecks,
    HealthPort,
    ForcePull,
    Gpus,
    KillGrace,
    PortMappingName,
    HostPortProtocol,
    HostPortName,
    ContainerNetwork,
    MesosContainerizer,
    DefaultNetwork,
    PersistentVolumes,
    Secrets,
    HealthDelay,
    Unreachable,
    KillSelection,
    HealthIgnore1xx,
    HealthIpProtocol,
    AcceptedRoles,
    PortLabels,
    PortNetworkNames,
    Tty,
    Role,
    PullSecret,
    ExternalVolumes,
    SecretVolumes,
    VolumeProfile,
    Residency,
    Readiness,
    MesosCheck,
    ResourceLimits,
}

impl Feature {
    /// (what, first version)
    pub fn info(self) -> (&'static str, Version) {
        match self {
            Feature::Fetch => ("`fetch` options `executable` and `cache`", Version::new(0, 15)),
            Feature::FetchDest => ("`fetch … dest`", Version::new(1, 3)),
            Feature::MaxPer => ("the `max-per` constraint", Version::new(1, 3)),
            Feature::Is => ("the `is` constraint", Version::new(1, 6)),
            Feature::UdpTcp => ("the `udp+tcp` protocol", Version::new(1, 0)),
            Feature::MesosHealthChecks => ("Mesos health checks", Version::new(1, 4)),
            Feature::HttpsHealthChecks => ("HTTPS health checks", Version::with_patch(0, 8, 2)),
            Feature::HealthPort => ("a health check's `port`", Version::new(0, 14)),
            Feature::ForcePull => ("`force-pull`", Version::with_patch(0, 8, 2)),
            Feature::Gpus => ("`gpus`", Version::new(1, 3)),
            Feature::KillGrace => ("`kill-grace`", Version::new(1, 3)),
            Feature::PortMappingName => ("named bridge ports", Version::new(1, 0)),
            Feature::HostPortProtocol => ("a protocol other than tcp on a host-network port", Version::new(1, 0)),
            Feature::HostPortName => ("named host-network ports", Version::new(1, 0)),
            Feature::ContainerNetwork => ("`network container NAME` (a docker `USER` network)", Version::new(1, 2)),
            Feature::MesosContainerizer => ("`containerizer mesos` with an image", Version::new(1, 3)),
            Feature::DefaultNetwork => {
                ("`network container` without a name (Marathon's default network)", Version::NETWORKS_API)
            }
            Feature::AcceptedRoles => ("`roles`", Version::new(0, 9)),
            Feature::PersistentVolumes => ("`persistent-volume`", Version::new(1, 0)),
            Feature::Secrets => ("`secret`", Version::new(1, 3)),
            Feature::HealthDelay => ("a health check's `delay`", Version::new(1, 4)),
            Feature::Unreachable => ("`unreachable`", Version::new(1, 4)),
            Feature::KillSelection => ("`kill-selection`", Version::new(1, 4)),
            Feature::HealthIgnore1xx => ("a health check's `ignore-1xx`", Version::new(0, 15)),
            Feature::HealthIpProtocol => ("a health check's `ip-protocol`", Version::NETWORKS_API),
            Feature::PortLabels => ("port labels (a port's `vip` or `label`)", Version::new(1, 0)),
            Feature::PortNetworkNames => ("a port's `network` (`networkNames`)", Version::NETWORKS_API),
            Feature::Tty => ("`tty`", Version::NETWORKS_API),
            Feature::Role => ("`role`", Version::new(1, 9)),
            Feature::PullSecret => ("`pull-secret`", Version::NETWORKS_API),
            Feature::ExternalVolumes => ("`external-volume`", Version::new(1, 1)),
            Feature::SecretVolumes => ("`secret … path` (a secret volume)", Version::NETWORKS_API),
            Feature::VolumeProfile => ("a persistent volume's `profile`", Version::NETWORKS_API),
            Feature::Residency => ("`residency`", Version::new(1, 0)),
            Feature::Readiness => ("`readiness`", Version::new(1, 1)),
            Feature::MesosCheck => ("`mesos-check`", Version::new(1, 8)),
            Feature::ResourceLimits => ("`limit`", Version::new(1, 10)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_levels_parse_and_compare() {
        let v = |s| Version::parse(s).unwrap();
        assert_eq!(v("1.4"), v("1.4.0"));
        assert!(v("1.4.5") < Version::DEST_PATH && v("1.4.6") >= Version::DEST_PATH);
        assert!(v("0.8") < Feature::HttpsHealthChecks.info().1 && v("0.8.2") >= Feature::HttpsHealthChecks.info().1);
        assert_eq!(v("1.4.13").to_string(), "1.4.13");
        assert_eq!(v("1.10").to_string(), "1.10");
        assert!(v("1.4").same_release_unpatched(Version::DEST_PATH));
        assert!(!v("1.4.6").same_release_unpatched(Version::DEST_PATH));
        for bad in ["1", "1.", "1.4.", "1.4.x", "1.4.6.1", "+1.4", "1.4.-1", "2.0", "0.7", " "] {
            assert!(Version::parse(bad).is_err(), "{bad}");
        }
    }
}
