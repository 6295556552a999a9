extension ConsoleApp {
    /// Tabs after the four data tabs: tab 5, the live Logs tab.
    static func extraScreens(_ environment: ConsoleEnvironment) -> [any ConsoleScreen] {
        [LogsScreen(environment: environment)]
    }
}
