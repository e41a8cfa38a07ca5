-- CreateTable
CREATE TABLE "LoginAttemptWindow" (
    "key" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "LoginAttemptWindow_pkey" PRIMARY KEY ("key","windowStart")
);
