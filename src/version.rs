//! Marathon versions pkwc targets, and the one table of features that need a minimum version.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
}

impl Version {
    pub const OLDEST: Version = Version { major: 0, minor: 8 };
    pub const NEWEST: Version = Version { major: 1, minor: 10 };
    /// The networking-API rewrite: `portDefinitions`, `networks`, `container.portMappings`.
    pub const NETWORKS_API: Version = Version { major: 1, minor: 5 };

    pub const fn new(major: u32, minor: u32) -> Version {
        Version { major, minor }
    }

    /// Parses `1.10`, `0.8` or `1.4.13` (the patch level does not change the dialect).
    pub fn parse(text: &str) -> Result<Version, String> {
        let mut parts = text.trim().split('.');
        let num = |p: Option<&str>| p.and_then(|s| s.parse::<u32>().ok());
        let (Some(major), Some(minor)) = (num(parts.next()), num(parts.next())) else {
            return Err(Self::unsupported(text));
        };
        if parts.next().is_some_and(|p| p.parse::<u32>().is_err()) || parts.next().is_some() {
            return Err(Self::unsupported(text));
        }
        let v = Version { major, minor };
        let known = (major == 0 && (8..=16).contains(&minor)) || (major == 1 && minor <= 10);
        if known {
            Ok(v)
        } else {
            Err(Self::unsupported(text))
        }
    }

    fn unsupported(text: &str) -> String {
        format!(
            "unsupported Marathon version `{text}`: pkwc supports 0.8 to 0.16 and 1.0 to 1.10 (for example `--marathon 0.8` or `--marathon 1.10`)"
        )
    }

    /// The legacy field dialect (`ports`, `container.docker.network`, …) is used before 1.5.
    pub fn is_legacy(self) -> bool {
        self < Self::NETWORKS_API
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// Features that need a minimum Marathon version, with the evidence-backed first version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Feature {
    Fetch,
    MaxPer,
    Is,
    UdpTcp,
    MesosHealthChecks,
    Gpus,
    KillGrace,
    PortMappingName,
    HostPortProtocol,
    HostPortName,
    ContainerNetwork,
}

impl Feature {
    /// (what, first version)
    pub fn info(self) -> (&'static str, Version) {
        match self {
            Feature::Fetch => ("`fetch` options `executable`, `cache` and `dest`", Version::new(0, 15)),
            Feature::MaxPer => ("the `max-per` constraint", Version::new(1, 3)),
            Feature::Is => ("the `is` constraint", Version::new(1, 6)),
            Feature::UdpTcp => ("the `udp+tcp` protocol", Version::new(1, 0)),
            Feature::MesosHealthChecks => ("Mesos health checks", Version::new(1, 4)),
            Feature::Gpus => ("`gpus`", Version::new(1, 4)),
            Feature::KillGrace => ("`kill-grace`", Version::new(1, 4)),
            Feature::PortMappingName => ("named bridge ports", Version::new(1, 4)),
            Feature::HostPortProtocol => ("a protocol other than tcp on a host-network port", Version::NETWORKS_API),
            Feature::HostPortName => ("named host-network ports", Version::NETWORKS_API),
            Feature::ContainerNetwork => ("`network container`", Version::NETWORKS_API),
        }
    }
}
