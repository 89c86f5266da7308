// The engine's namespaces every execution test uses.
global using System.Collections;
global using System.Security.Cryptography;
global using System.Text;
global using TradingBot.Migrations.Engine.Catalog;
global using TradingBot.Migrations.Engine.Execution;
global using TradingBot.Migrations.Engine.History;
global using TradingBot.Migrations.Engine.Planning;
global using TradingBot.Migrations.Engine.Sql;
global using TradingBot.Migrations.Engine.Status;
global using TradingBot.Migrations.Engine.Tests.Support;
