create table ticket (
    id          bigint auto_increment primary key,
    sender      varchar(320) not null,
    subject     varchar(1000),
    body        clob,
    received_at timestamp not null
);
