DROP TABLE session_trades;
DROP TABLE trading_sessions;
