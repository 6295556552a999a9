public enum StewardCoreVersion { public static let string = "0.1.0" }
