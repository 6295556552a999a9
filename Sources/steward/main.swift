import StewardCore
print(StewardCoreVersion.string)
